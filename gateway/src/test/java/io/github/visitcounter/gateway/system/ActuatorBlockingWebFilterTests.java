package io.github.visitcounter.gateway.system;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ResponseStatusException;

import static org.assertj.core.api.Assertions.assertThat;

class ActuatorBlockingWebFilterTests {

	private final ActuatorBlockingWebFilter filter = new ActuatorBlockingWebFilter();

	private final AtomicBoolean passed = new AtomicBoolean();

	@ParameterizedTest
	@ValueSource(strings = { "/actuator", "/actuator/", "/actuator/env", "//actuator/env", "/ACTUATOR/env",
			"/Actuator/Health", "/%61ctuator/env", "/%2561ctuator/env", "/actuator/../actuator/env", "/foo/../actuator",
			"/actuator;x=y/env", "/actuator;/env", "/.;/actuator", "/%2e%2e/actuator", "/%2Factuator/env",
			"/actuator%2Fenv", "/actuator%2fenv", "/actuator%3Bx/env", "/%5Cactuator" })
	void refusesActuatorHoweverSpelled(String rawPath) {
		assertRefused(rawPath, HttpStatus.NOT_FOUND);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/foo/../bar", "/./visits.css", "/api%2Fvisits", "/api%5Cvisits", "/%2e/visits.css" })
	void refusesPathsReplicasCouldReadDifferently(String rawPath) {
		assertRefused(rawPath, HttpStatus.BAD_REQUEST);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/", "/api/visits", "/visits.css", "/visits.js", "/actuators", "/api/actuator",
			"/favicon.ico", "/a%20b" })
	void passesEverythingElse(String rawPath) {
		StepVerifier.create(filter(rawPath)).verifyComplete();
		assertThat(this.passed).isTrue();
	}

	private void assertRefused(String rawPath, HttpStatus status) {
		StepVerifier.create(filter(rawPath))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(ResponseStatusException.class,
					(refused) -> assertThat(refused.getStatusCode()).isEqualTo(status)))
			.verify(Duration.ofSeconds(1));
		assertThat(this.passed).isFalse();
	}

	private Mono<Void> filter(String rawPath) {
		MockServerWebExchange exchange = MockServerWebExchange
			.from(MockServerHttpRequest.method(HttpMethod.GET, URI.create("http://localhost" + rawPath)));
		return this.filter.filter(exchange, (filtered) -> Mono.fromRunnable(() -> this.passed.set(true)));
	}

}
