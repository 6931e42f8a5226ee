package io.github.visitcounter.counter;

import java.time.Duration;
import java.util.Objects;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis paused: it holds connections open but never answers, the worst case for timeouts.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "counter.hostname=replica-test" })
@AutoConfigureWebTestClient
@Import(ContainersConfiguration.class)
class RedisOutageIntegrationTests {

	static final String STORE_UNAVAILABLE = "503 Service Unavailable: the visit store (Redis) is unreachable; "
			+ "try again shortly.\n";

	static final String READINESS = "/actuator/health/readiness";

	static final String LIVENESS = "/actuator/health/liveness";

	@Autowired
	private WebTestClient client;

	@Autowired
	private GenericContainer<?> redis;

	@Autowired
	private ReactiveStringRedisTemplate template;

	@LocalManagementPort
	private int managementPort;

	private boolean paused;

	@Test
	void visitsFailFastAndReadinessGoesDownWhileRedisIsUnresponsive() {
		pauseRedis();
		long start = System.nanoTime();
		this.client.get()
			.uri("/")
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectBody(String.class)
			.isEqualTo(STORE_UNAVAILABLE);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
		expectStoreUnavailableProblem(this.client.post().uri("/api/visits"));
		WebTestClient management = management();
		await().atMost(Duration.ofSeconds(10))
			.ignoreExceptions()
			.untilAsserted(() -> assertThat(status(management, READINESS)).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE));
		assertThat(status(management, LIVENESS)).isEqualTo(HttpStatus.OK);
	}

	@Test
	void visitAnswered503IsNotCountedWhenRedisRunsItLater() {
		long before = total();
		pauseRedis();
		// Lettuce has written the script to Redis's socket and gives up after its
		// timeout; Redis runs it when it resumes, past the visit's deadline
		this.client.get()
			.uri("/")
			.header("X-Request-Id", "paused-" + System.nanoTime())
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectBody()
			.returnResult();
		expectStoreUnavailableProblem(this.client.post().uri("/api/visits"));
		unpauseRedis();
		// Read on the connection the late scripts went out on: after Redis ran them
		long after = await("Redis answering again").atMost(Duration.ofSeconds(30))
			.ignoreExceptions()
			.until(this::total, Objects::nonNull);
		assertThat(after).isEqualTo(before);
	}

	@Test
	void recoversByItselfWhenRedisAnswersAgain() {
		pauseRedis();
		this.client.get().uri("/").exchange().expectStatus().isEqualTo(503).expectBody().returnResult();
		unpauseRedis();
		WebTestClient management = management();
		await().atMost(Duration.ofSeconds(30))
			.ignoreExceptions()
			.untilAsserted(() -> assertThat(status(this.client, "/")).isEqualTo(HttpStatus.OK));
		await().atMost(Duration.ofSeconds(30))
			.ignoreExceptions()
			.untilAsserted(() -> assertThat(status(management, READINESS)).isEqualTo(HttpStatus.OK));
	}

	@AfterEach
	void unpauseRedisIfStillPaused() {
		if (this.paused) {
			unpauseRedis();
		}
		await().atMost(Duration.ofSeconds(30))
			.ignoreExceptions()
			.untilAsserted(() -> assertThat(status(management(), READINESS)).isEqualTo(HttpStatus.OK));
	}

	private Long total() {
		String total = this.template.opsForValue().get("visits").block(Duration.ofSeconds(5));
		return (total != null) ? Long.parseLong(total) : 0;
	}

	static void expectStoreUnavailableProblem(WebTestClient.RequestHeadersSpec<?> request) {
		request.accept(MediaType.APPLICATION_JSON)
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(503)
			.jsonPath("$.detail")
			.isEqualTo("the visit store (Redis) is unreachable; try again shortly.");
	}

	static HttpStatusCode status(WebTestClient client, String path) {
		return client.get().uri(path).exchange().expectBody().returnResult().getStatus();
	}

	private WebTestClient management() {
		return WebTestClient.bindToServer().baseUrl("http://localhost:" + this.managementPort).build();
	}

	private void pauseRedis() {
		this.redis.getDockerClient().pauseContainerCmd(this.redis.getContainerId()).exec();
		this.paused = true;
	}

	private void unpauseRedis() {
		this.redis.getDockerClient().unpauseContainerCmd(this.redis.getContainerId()).exec();
		this.paused = false;
	}

}
