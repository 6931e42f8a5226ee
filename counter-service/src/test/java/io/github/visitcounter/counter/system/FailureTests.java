package io.github.visitcounter.counter.system;

import java.util.List;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import org.junit.jupiter.api.Test;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.MethodNotAllowedException;

import static org.assertj.core.api.Assertions.assertThat;

class FailureTests {

	@Test
	void redisFailuresMeanTheStoreIsUnavailable() {
		List<Throwable> failures = List.of(new RedisConnectionFailureException("refused"),
				new QueryTimeoutException("timed out"), new RedisSystemException("rejected", null),
				new RedisConnectionException("refused"), new IllegalStateException(new RedisConnectionException("x")));
		assertThat(failures).allSatisfy((ex) -> {
			Failure failure = Failure.of(ex);
			assertThat(failure.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
			assertThat(failure.line())
				.isEqualTo("503 Service Unavailable: the visit store (Redis) is unreachable; try again shortly.");
		});
	}

	@Test
	void redisAtItsMemoryLimitMeansTheStoreIsFull() {
		Failure failure = Failure.of(new RedisSystemException("Error in execution",
				new RedisCommandExecutionException("OOM command not allowed when used memory > 'maxmemory'.")));
		assertThat(failure.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(failure.kind()).isEqualTo(Failure.Kind.STORE);
		assertThat(failure.line()).isEqualTo("503 Service Unavailable: the visit store (Redis) is full: no visit can"
				+ " be counted until it has room again.");
	}

	@Test
	void unexpectedFailuresAreAGenericServerErrorThatTellsNothing() {
		Failure failure = Failure.of(new IllegalStateException("secret at /etc/passwd"));
		assertThat(failure.status()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
		assertThat(failure.kind()).isEqualTo(Failure.Kind.UNEXPECTED);
		assertThat(failure.line()).startsWith("500 Internal Server Error: ")
			.doesNotContain("secret", "IllegalStateException");
	}

	@Test
	void wrongMethodListsTheAllowedOnes() {
		Failure failure = Failure
			.of(new MethodNotAllowedException(HttpMethod.DELETE, List.of(HttpMethod.GET, HttpMethod.HEAD)));
		assertThat(failure.status()).isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
		assertThat(failure.headers().getAllow()).containsExactly(HttpMethod.GET, HttpMethod.HEAD);
		assertThat(failure.line()).isEqualTo("405 Method Not Allowed: this address allows only GET, HEAD.");
	}

}
