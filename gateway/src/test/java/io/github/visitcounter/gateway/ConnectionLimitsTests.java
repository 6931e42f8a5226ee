package io.github.visitcounter.gateway;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What one client can hold on the public port: a few connections, and a request head or
 * body for a short while only. Limits far below production's, so that a test reaches
 * them.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "gateway.edge.max-connections=4", "gateway.edge.request-head-timeout=1s",
				"gateway.edge.request-body-timeout=1s" })
@ActiveProfiles("test")
@Import(CounterReplicas.Dns.class)
@DirtiesContext
class ConnectionLimitsTests {

	private static final CounterReplicas replicas = CounterReplicas.start();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void replicaPorts(DynamicPropertyRegistry registry) {
		replicas.configure(registry, CounterReplicas.freePort());
	}

	@AfterAll
	static void stopReplicas() {
		replicas.close();
	}

	@BeforeEach
	void everyReplicaUp() {
		replicas.reviveAll();
	}

	@Test
	void answersTheConnectionOverTheCap503AndClosesIt() throws IOException {
		List<RawHttpConnection> open = new ArrayList<>();
		try {
			for (int i = 0; i < 4; i++) {
				open.add(new RawHttpConnection(this.port));
			}
			// a request on one of them proves the server has taken all four
			open.get(3).get("/favicon.ico");
			assertThat(open.get(3).statuses(1)).containsExactly(204);
			try (RawHttpConnection oneTooMany = new RawHttpConnection(this.port)) {
				RawHttpConnection.Response refused = oneTooMany.response();
				assertThat(refused.status()).isEqualTo(503);
				assertThat(refused.body())
					.isEqualTo("503 Service Unavailable: too many open connections; try again shortly.\n");
				assertThat(oneTooMany.closedByServer()).isTrue();
			}
			open.remove(0).close();
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
				try (RawHttpConnection again = new RawHttpConnection(this.port)) {
					again.get("/favicon.ico");
					assertThat(again.statuses(1)).containsExactly(204);
				}
			});
		}
		finally {
			for (RawHttpConnection connection : open) {
				connection.close();
			}
		}
	}

	@Test
	void cutsAClientThatTricklesItsRequestHead() throws Exception {
		try (RawHttpConnection slow = new RawHttpConnection(this.port)) {
			slow.send("GET / HTTP/1.1\nHost: localhost\nX-Slow: ");
			CompletableFuture<Void> trickle = CompletableFuture.runAsync(() -> {
				try {
					for (int i = 0; i < 50; i++) {
						slow.send("a");
						Thread.sleep(100);
					}
				}
				catch (IOException | InterruptedException ex) {
					// cut off, as it should be
				}
			});
			RawHttpConnection.Response response = slow.response();
			assertThat(response.status()).isEqualTo(408);
			assertThat(response.body()).isEqualTo("408 Request Timeout: the request's headers took too long.\n");
			assertThat(slow.closedByServer()).isTrue();
			trickle.cancel(true);
		}
		assertThat(replicas.requests()).isZero();
	}

	@Test
	void cutsAClientThatTricklesItsRequestBody() throws Exception {
		try (RawHttpConnection slow = new RawHttpConnection(this.port)) {
			slow.send("POST /api/visits HTTP/1.1\nHost: localhost\nContent-Length: 100\n\n");
			CompletableFuture<Void> trickle = CompletableFuture.runAsync(() -> {
				try {
					for (int i = 0; i < 50; i++) {
						slow.send("b");
						Thread.sleep(100);
					}
				}
				catch (IOException | InterruptedException ex) {
					// cut off, as it should be
				}
			});
			assertThat(slow.response().status()).isEqualTo(408);
			trickle.cancel(true);
		}
	}

	@Test
	void leavesAQuietKeepAliveConnectionOpenPastTheHeadTimeout() throws IOException {
		try (RawHttpConnection quiet = new RawHttpConnection(this.port)) {
			quiet.get("/favicon.ico");
			assertThat(quiet.statuses(1)).containsExactly(204);
			// nothing is sent for longer than the head timeout: that is the idle
			// timeout's business (60 s), not the head's
			await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> true);
			quiet.get("/favicon.ico");
			assertThat(quiet.statuses(1)).containsExactly(204);
		}
	}

}
