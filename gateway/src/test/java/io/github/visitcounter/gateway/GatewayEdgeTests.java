package io.github.visitcounter.gateway;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;

import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the gateway does at the edge, before and around proxying: the public port never
 * serves {@code /actuator}, the management port does, forwarding headers are the
 * gateway's own, and some requests never take a replica's turn.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "logging.level.access=info")
@ActiveProfiles("test")
@ExtendWith(OutputCaptureExtension.class)
@AutoConfigureMetrics
@Import(CounterReplicas.Dns.class)
@DirtiesContext
class GatewayEdgeTests {

	private static final CounterReplicas replicas = CounterReplicas.start();

	@LocalServerPort
	private int port;

	@LocalManagementPort
	private int managementPort;

	private WebTestClient client;

	@DynamicPropertySource
	static void replicaPorts(DynamicPropertyRegistry registry) {
		registry.add("gateway.counter.port", replicas::port);
		registry.add("spring.cloud.loadbalancer.health-check.port", replicas::managementPort);
	}

	@AfterAll
	static void stopReplicas() {
		replicas.close();
	}

	@BeforeEach
	void freshReplicas() {
		replicas.reviveAll();
		this.client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + this.port).build();
	}

	@Test
	void refusesActuatorOnPublicPortHoweverSpelled() throws IOException {
		List<String> spellings = List.of("/actuator", "/actuator/", "/actuator/health", "//actuator/env",
				"/ACTUATOR/env", "/%61ctuator/env", "/actuator/../actuator/env", "/foo/../actuator",
				"/actuator;x=y/env", "/%2Factuator/env", "/actuator%2Fenv", "/%2e%2e/actuator/env", "/.;/actuator/env");
		for (String spelling : spellings) {
			assertThat(statusOf(spelling)).as(spelling).isEqualTo(404);
		}
		assertThat(statusOf("/\\actuator/env")).isIn(400, 404);
		this.client.get()
			.uri("/actuator/env")
			.header("Accept", "not a media type")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody(String.class)
			.isEqualTo("404 Not Found\n");
		assertThat(replicas.requests()).isZero();
	}

	@Test
	void servesHealthMetricsAndRoutesOnManagementPort() {
		this.client.get().uri("/").exchange().expectStatus().isOk().expectBody().returnResult();
		WebTestClient management = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.managementPort)
			.build();
		for (String probe : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")) {
			management.get()
				.uri(probe)
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo("UP");
		}
		management.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value((metrics) -> assertThat(metrics).contains("spring_cloud_gateway_requests_seconds_count"));
		management.get()
			.uri("/actuator/gateway/routes")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$[*].route_id")
			.value((List<String> ids) -> assertThat(ids).containsExactly("counter-reads", "counter-writes"));
		management.get()
			.uri("/actuator/info")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.build.artifact")
			.isEqualTo("gateway");
		management.get().uri("/visits.css").exchange().expectStatus().isNotFound().expectBody().returnResult();
		assertThat(replicas.requests()).as("only the first request").isOne();
	}

	@Test
	void replacesForwardingHeadersSentByClient() {
		String echoed = this.client.get()
			.uri("/headers")
			.header("X-Forwarded-For", "203.0.113.7")
			.header("X-Forwarded-Host", "evil.example")
			.header("X-Forwarded-Proto", "https")
			.header("X-Forwarded-Port", "443")
			.header("X-Forwarded-Prefix", "/evil")
			.header("Forwarded", "for=203.0.113.7;proto=https")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(echoed.toLowerCase().lines()).contains("x-forwarded-for: 127.0.0.1", "x-forwarded-proto: http",
				"x-forwarded-host: 127.0.0.1:" + this.port, "x-forwarded-port: " + this.port);
		assertThat(echoed).doesNotContain("203.0.113.7", "evil")
			.doesNotContainIgnoringCase("forwarded: ")
			.doesNotContainIgnoringCase("x-forwarded-prefix");
	}

	@Test
	void givesEachRequestAnIdOfItsOwnWhateverTheClientSent() {
		List<String> ids = Stream.of(1, 2)
			.map((i) -> this.client.get()
				.uri("/headers")
				.header("X-Request-Id", "chosen-by-client")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(String.class)
				.returnResult()
				.getResponseBody())
			.map((echoed) -> echoed.lines()
				.filter((line) -> line.toLowerCase().startsWith("x-request-id: "))
				.findFirst()
				.orElseThrow())
			.toList();
		assertThat(ids).doesNotHaveDuplicates().noneMatch((id) -> id.contains("chosen-by-client"));
	}

	@Test
	void logsEachPublicRequestWhenTheAccessLogIsOn(CapturedOutput output) {
		// Paths of this test's own: lines of earlier requests may still be on their way
		// through the background appender when the capture starts
		String marker = "/headers/access-log-" + System.nanoTime();
		this.client.get().uri(marker + "?logged").exchange().expectStatus().isOk().expectBody().returnResult();
		WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.managementPort)
			.build()
			.get()
			.uri("/actuator/health/liveness")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult();
		this.client.get().uri(marker + "?after").exchange().expectStatus().isOk().expectBody().returnResult();
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			List<String> lines = output.getOut().lines().filter((line) -> line.contains(" access ")).toList();
			assertThat(lines.stream().filter((line) -> line.contains(marker))).hasSize(2)
				.allMatch((line) -> line
					.matches(".* GET " + marker + " 200 127\\.0\\.0\\.\\d+:" + replicas.port() + " \\d+ ms"));
			assertThat(lines).noneMatch((line) -> line.contains("/actuator"));
		});
	}

	@Test
	void keepsReadingKeepAliveConnectionsWhoseQueuedRequestsAreAnsweredAtOnce() throws IOException {
		// A request queued behind one still finishing, then answered at once, used to
		// stop the server reading its connection (reactor/reactor-netty#4361)
		for (int round = 0; round < 100; round++) {
			try (KeepAliveConnection management = new KeepAliveConnection(this.managementPort);
					KeepAliveConnection visitor = new KeepAliveConnection(this.port)) {
				management.get("/actuator/health/liveness", "/actuator/health/liveness");
				visitor.get("/favicon.ico", "/favicon.ico");
				assertThat(management.statuses(2)).containsOnly(200);
				assertThat(visitor.statuses(2)).containsOnly(204);
				management.get("/actuator/health/liveness");
				visitor.get("/favicon.ico");
				assertThat(management.statuses(1)).as("round %d", round).containsOnly(200);
				assertThat(visitor.statuses(1)).as("round %d", round).containsOnly(204);
			}
		}
	}

	@Test
	void answersFaviconWithoutReplica() {
		this.client.get()
			.uri("/favicon.ico")
			.exchange()
			.expectStatus()
			.isNoContent()
			.expectHeader()
			.cacheControl(CacheControl.maxAge(Duration.ofDays(7)));
		assertThat(replicas.requests()).isZero();
	}

	@Test
	void refusesRequestBodiesOverTheLimit() {
		String nineKilobytes = "x".repeat(9 * 1024);
		this.client.post()
			.uri("/api/visits")
			.contentType(MediaType.TEXT_PLAIN)
			.bodyValue(nineKilobytes)
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
			.expectBody(String.class)
			.isEqualTo("413 Content Too Large\n");
		this.client.post()
			.uri("/api/visits")
			.contentType(MediaType.TEXT_PLAIN)
			.body(Flux.range(0, 9).map((i) -> "x".repeat(1024)), String.class)
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
			.expectBody(String.class)
			.isEqualTo("413 Content Too Large\n");
		assertThat(replicas.requests()).isZero();
		this.client.post()
			.uri("/api/visits")
			.bodyValue("small")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value((visit) -> assertThat(visit).contains("Hostname: backend-"));
	}

	/**
	 * Sends the path exactly as written, which HTTP clients would normalise or encode.
	 */
	private int statusOf(String rawPath) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(5000);
			OutputStream out = socket.getOutputStream();
			out.write(("GET " + rawPath + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			BufferedReader in = new BufferedReader(
					new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
			return Integer.parseInt(in.readLine().split(" ")[1]);
		}
	}

}
