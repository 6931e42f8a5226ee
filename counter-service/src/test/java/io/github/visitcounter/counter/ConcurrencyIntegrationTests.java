package io.github.visitcounter.counter;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Visits at once from many clients. What is checked is atomicity, not latency: the Redis
 * timeout is far above production's 1 s, which a loaded 2-core test machine can miss
 * under 64 concurrent visits (answered 503, as it should be; the outage tests check
 * that).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "counter.hostname=replica-concurrent",
				"spring.data.redis.timeout=30s" })
@Import(ContainersConfiguration.class)
class ConcurrencyIntegrationTests {

	private static final Pattern TEXT = Pattern.compile("Visit number (\\d+)\nHostname: replica-concurrent\n");

	@LocalServerPort
	private int port;

	@Autowired
	private ReactiveStringRedisTemplate redis;

	@Test
	void visitNumbersAreUniqueUnderConcurrency() {
		long before = total();
		long replicaBefore = replicaVisits();
		WebClient web = WebClient.create("http://localhost:" + this.port);
		List<Long> numbers = Flux.range(0, 2000)
			.flatMap((i) -> web.get().uri("/").retrieve().bodyToMono(String.class), 64)
			.map(ConcurrencyIntegrationTests::visitNumber)
			.collectList()
			.block(Duration.ofMinutes(2));
		assertThat(numbers)
			.containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(before + 1, before + 2000).boxed().toList());
		assertThat(replicaVisits()).isEqualTo(replicaBefore + 2000);
	}

	private long total() {
		String total = this.redis.opsForValue().get("visits").block(Duration.ofSeconds(5));
		return (total != null) ? Long.parseLong(total) : 0;
	}

	private long replicaVisits() {
		Object visits = this.redis.opsForHash()
			.get("visits:replicas", "replica-concurrent")
			.block(Duration.ofSeconds(5));
		return (visits != null) ? Long.parseLong(visits.toString()) : 0;
	}

	private static long visitNumber(String body) {
		Matcher matcher = TEXT.matcher(body);
		assertThat(matcher.matches()).as(body).isTrue();
		return Long.parseLong(matcher.group(1));
	}

}
