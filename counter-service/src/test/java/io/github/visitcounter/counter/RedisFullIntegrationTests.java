package io.github.visitcounter.counter;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis at its {@code maxmemory}, refusing writes rather than evicting (policy
 * {@code noeviction}, as compose sets it): visits answer a clear 503, the count is still
 * read, and nothing counted is lost.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "counter.hostname=replica-test" })
@AutoConfigureWebTestClient
@Import(ContainersConfiguration.class)
class RedisFullIntegrationTests {

	private static final String FULL = "the visit store (Redis) is full: no visit can be counted until it has room"
			+ " again.";

	@Autowired
	private WebTestClient client;

	@Autowired
	private ReactiveStringRedisTemplate redis;

	private long before;

	@BeforeEach
	void fillRedis() {
		this.client.get().uri("/").exchange().expectStatus().isOk().expectBody().returnResult();
		this.before = total();
		config("maxmemory-policy", "noeviction");
		config("maxmemory", "1");
	}

	@AfterEach
	void makeRoom() {
		config("maxmemory", "0");
	}

	@Test
	void visitsAnswerAClear503AndTheCountIsKept() {
		this.client.get()
			.uri("/")
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectBody(String.class)
			.isEqualTo("503 Service Unavailable: " + FULL + "\n");
		this.client.post()
			.uri("/api/visits")
			.accept(MediaType.APPLICATION_JSON)
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.detail")
			.isEqualTo(FULL);
		this.client.get()
			.uri("/api/visits")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.visits")
			.isEqualTo(this.before);
		makeRoom();
		this.client.get()
			.uri("/")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo("Visit number " + (this.before + 1) + "\nHostname: replica-test\n");
		assertThat(total()).isEqualTo(this.before + 1);
	}

	private long total() {
		return Long.parseLong(this.redis.opsForValue().get("visits").block(Duration.ofSeconds(5)));
	}

	private void config(String parameter, String value) {
		this.redis.execute((connection) -> connection.serverCommands().setConfig(parameter, value))
			.blockLast(Duration.ofSeconds(5));
	}

}
