package io.github.visitcounter.gateway;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import ch.qos.logback.classic.LoggerContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;

import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
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
 * What the gateway does at the edge, before and around proxying: it routes only what the
 * product serves, refuses what no replica should see without taking a replica's turn,
 * answers in the form the client accepts, serves actuator on the management port only,
 * and sets the forwarding headers itself.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "logging.level.access=info")
@ActiveProfiles("test")
@ExtendWith(OutputCaptureExtension.class)
@AutoConfigureMetrics
@Import(CounterReplicas.Dns.class)
@DirtiesContext
class GatewayEdgeTests {

	private static final CounterReplicas replicas = CounterReplicas.start();

	private static final int MANAGEMENT_PORT = CounterReplicas.freePort();

	@LocalServerPort
	private int port;

	private WebTestClient client;

	private WebTestClient management;

	@DynamicPropertySource
	static void replicaPorts(DynamicPropertyRegistry registry) {
		replicas.configure(registry, MANAGEMENT_PORT);
	}

	@AfterAll
	static void stopReplicas() {
		replicas.close();
	}

	@BeforeEach
	void freshReplicas() {
		replicas.reviveAll();
		this.client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + this.port).build();
		this.management = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + MANAGEMENT_PORT).build();
		await().atMost(Duration.ofSeconds(10))
			.ignoreExceptions()
			.untilAsserted(() -> this.management.get()
				.uri("/actuator/rotation")
				.exchange()
				.expectBody()
				.jsonPath("$.counter.length()")
				.isEqualTo(3));
	}

	@Test
	void routesOnlyWhatTheProductServes() {
		for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.HEAD)) {
			for (String path : List.of("/", "/api/visits")) {
				this.client.method(method).uri(path).exchange().expectStatus().isOk().expectBody().returnResult();
			}
		}
		this.client.post().uri("/api/visits").exchange().expectStatus().isOk().expectBody().returnResult();
		assertThat(replicas.requests()).isEqualTo(5);

		expectNotAllowed(HttpMethod.PUT, "/", "GET,HEAD");
		expectNotAllowed(HttpMethod.POST, "/", "GET,HEAD");
		expectNotAllowed(HttpMethod.OPTIONS, "/", "GET,HEAD");
		expectNotAllowed(HttpMethod.TRACE, "/", "GET,HEAD");
		expectNotAllowed(HttpMethod.DELETE, "/api/visits", "GET,HEAD,POST");
		expectNotAllowed(HttpMethod.PATCH, "/api/visits", "GET,HEAD,POST");
		for (String path : List.of("/nope", "/api", "/api/visits/", "/api/visits/1", "/index.html",
				"/actuator/health")) {
			this.client.get()
				.uri(path)
				.exchange()
				.expectStatus()
				.isNotFound()
				.expectBody(String.class)
				.isEqualTo("404 Not Found: there is nothing at this address.\n");
		}
		assertThat(replicas.requests()).as("requests that reached a replica").isEqualTo(5);
	}

	@Test
	void refusesActuatorOnPublicPortHoweverSpelled() throws IOException {
		List<String> spellings = List.of("/actuator", "/actuator/", "/actuator/health", "//actuator/env",
				"/ACTUATOR/env", "/%61ctuator/env", "/actuator/../actuator/env", "/foo/../actuator",
				"/actuator;x=y/env", "/%2Factuator/env", "/actuator%2Fenv", "/%2e%2e/actuator/env", "/.;/actuator/env",
				"/api/../actuator/env", "/;/actuator/env");
		for (String spelling : spellings) {
			assertThat(rawGet(spelling).status()).as(spelling).isEqualTo(404);
		}
		assertThat(rawGet("/\\actuator/env").status()).isIn(400, 404);
		assertThat(replicas.requests()).isZero();
	}

	@Test
	void answersInTheFormTheClientAcceptsByTheCountersRule() {
		expectError("*/*", MediaType.TEXT_PLAIN, "404 Not Found: there is nothing at this address.\n");
		expectError("not a media type", MediaType.TEXT_PLAIN, "404 Not Found: there is nothing at this address.\n");
		expectError("image/png", MediaType.TEXT_PLAIN, "404 Not Found: there is nothing at this address.\n");
		expectError("application/json", MediaType.APPLICATION_PROBLEM_JSON,
				"\"detail\":\"there is nothing at this address.\"");
		expectError("text/html,application/xhtml+xml,*/*;q=0.8", MediaType.TEXT_HTML, "<h1>404 Not Found</h1>");
		// the counter's rule: quality first, then the client's order (not the most
		// specific type first)
		expectError("text/plain;q=0.1, text/html", MediaType.TEXT_HTML, "<h1>404 Not Found</h1>");
		expectError("application/json;q=0.5, text/plain", MediaType.TEXT_PLAIN, "404 Not Found: ");
	}

	@Test
	void refusesMethodsHttpDoesNotDefineAndConnect() throws IOException {
		for (String method : List.of("FOO", "PROPFIND", "BREW", "get")) {
			RawHttpConnection.Response response = raw(method + " / HTTP/1.1\nHost: localhost\nConnection: close\n\n");
			assertThat(response.status()).as(method).isIn(400, 501);
		}
		assertThat(raw("FOO / HTTP/1.1\nHost: localhost\nConnection: close\n\n").body())
			.isEqualTo("501 Not Implemented: this method is not implemented here.\n");
		assertThat(raw("CONNECT 127.0.0.1:6379 HTTP/1.1\nHost: 127.0.0.1:6379\nConnection: close\n\n").status())
			.isEqualTo(400);
		assertThat(replicas.requests()).isZero();
	}

	@Test
	void refusesAmbiguousFraming() throws IOException {
		List<String> ambiguous = List.of(
				"POST /api/visits HTTP/1.1\nHost: x\nTransfer-Encoding: gzip, chunked\nContent-Length: 5\nConnection: close\n\n0\n\n",
				"POST /api/visits HTTP/1.1\nHost: x\nTransfer-Encoding: identity\nContent-Length: 1\nConnection: close\n\nx",
				"POST /api/visits HTTP/1.1\nHost: x\nTransfer-Encoding: chunked, chunked\nConnection: close\n\n0\n\n",
				"POST /api/visits HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\nTransfer-Encoding: chunked\n"
						+ "Connection: close\n\n0\n\n",
				"POST /api/visits HTTP/1.0\nHost: x\nTransfer-Encoding: chunked\n\n0\n\n",
				"GET / HTTP/1.1\nHost: x\nTransfer-Encoding: x-custom\nConnection: close\n\n",
				"POST /api/visits HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\nContent-Length: 99\n"
						+ "Connection: close\n\n2\nab\n0\n\n");
		for (String request : ambiguous) {
			RawHttpConnection.Response response = raw(request);
			assertThat(response.status()).as(request).isEqualTo(400);
			// Netty's decoder refuses some (an empty 400), request hygiene the rest
			assertThat(response.body()).as(request)
				.satisfiesAnyOf((body) -> assertThat(body).isEmpty(),
						(body) -> assertThat(body).startsWith("400 Bad Request: the request's framing is ambiguous"));
		}
		assertThat(replicas.requests()).isZero();
		assertThat(raw("POST /api/visits HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\nConnection: close\n\n"
				+ "2\nab\n0\n\n")
			.status()).as("plain chunked").isEqualTo(200);
	}

	@Test
	void answersRequestsNettyCannotParseWithoutALogLineForEach(CapturedOutput output) throws IOException {
		assertThat(raw("GET / HTTP/1.1\nHost: x\nno colon\nConnection: close\n\n").status()).isEqualTo(400);
		assertThat(raw("POST /api/visits HTTP/1.1\nHost: x\nContent-Length: abc\nConnection: close\n\n").status())
			.isEqualTo(400);
		assertThat(raw("GET / HTTP/1.1\nHost: x\nX-Large: " + "a".repeat(9000) + "\nConnection: close\n\n").status())
			.isEqualTo(431);
		assertThat(raw("GET /" + "a".repeat(3000) + " HTTP/1.1\nHost: x\nConnection: close\n\n").status())
			.isEqualTo(414);
		assertThat(replicas.requests()).isZero();
		assertThat(output.getOut()).doesNotContain("Decoding failed");
	}

	@Test
	void refusesMissingRepeatedOrMalformedHost() throws IOException {
		List<String> refused = List.of("GET / HTTP/1.1\nConnection: close\n\n",
				"GET / HTTP/1.1\nHost: a.example\nHost: b.example\nConnection: close\n\n",
				"GET / HTTP/1.1\nHost: evil.example/../x\nConnection: close\n\n",
				"GET / HTTP/1.1\nHost: user@evil.example\nConnection: close\n\n",
				"GET / HTTP/1.1\nHost: evil.example:80:80\nConnection: close\n\n",
				"GET / HTTP/1.1\nHost: \nConnection: close\n\n");
		for (String request : refused) {
			assertThat(raw(request).status()).as(request).isEqualTo(400);
		}
		assertThat(replicas.requests()).isZero();
		assertThat(raw("GET / HTTP/1.0\n\n").status()).as("HTTP/1.0 needs no Host").isEqualTo(200);
		assertThat(raw("GET / HTTP/1.1\nHost: [::1]:8080\nConnection: close\n\n").status()).isEqualTo(200);
		assertThat(raw("GET / HTTP/1.1\nHost: Visits.Example:80\nConnection: close\n\n").status()).isEqualTo(200);
	}

	@Test
	void takesAnAbsoluteFormTargetWithoutLettingItsHostChooseWhereItGoes() throws IOException {
		RawHttpConnection.Response response = raw(
				"GET http://evil.example:6379/ HTTP/1.1\nHost: evil.example:6379\nX-Echo-Headers: yes\nConnection: close\n\n");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body().toLowerCase()).contains("x-forwarded-host: evil.example\n")
			.containsPattern("hostname: backend-\\d");
		assertThat(replicas.requests()).isOne();
	}

	@Test
	void refusesWebSocketHandshakesAndServesH2cUpgradesOverHttp11() throws IOException {
		RawHttpConnection.Response websocket = raw("GET / HTTP/1.1\nHost: localhost\nUpgrade: websocket\n"
				+ "Connection: Upgrade\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\nSec-WebSocket-Version: 13\n\n");
		assertThat(websocket.status()).isEqualTo(400);
		assertThat(websocket.body())
			.isEqualTo("400 Bad Request: this address does not accept WebSocket connections.\n");
		assertThat(replicas.requests()).isZero();
		RawHttpConnection.Response h2c = raw("GET / HTTP/1.1\nHost: localhost\nUpgrade: h2c\n"
				+ "Connection: Upgrade, HTTP2-Settings\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\n\n");
		assertThat(h2c.version()).isEqualTo("HTTP/1.1");
		assertThat(h2c.status()).isEqualTo(200);
		assertThat(h2c.body()).startsWith("Visit number ");
		assertThat(replicas.requests()).isOne();
	}

	@Test
	void servesHealthMetricsAndRoutesOnManagementPort() {
		this.client.get().uri("/").exchange().expectStatus().isOk().expectBody().returnResult();
		for (String probe : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")) {
			this.management.get()
				.uri(probe)
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo("UP");
		}
		this.management.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value((metrics) -> assertThat(metrics).contains("spring_cloud_gateway_requests_seconds_count")
				.doesNotContain("logback_events"));
		this.management.get()
			.uri("/actuator/gateway/routes")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$[*].route_id")
			.value((List<String> ids) -> assertThat(ids).containsExactly("visits-read", "visits-count"));
		this.management.get()
			.uri("/actuator/info")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.build.artifact")
			.isEqualTo("gateway");
		for (String path : List.of("/", "/api/visits", "/visits.css")) {
			this.management.get().uri(path).exchange().expectStatus().isNotFound().expectBody().returnResult();
		}
		assertThat(replicas.requests()).as("only the first request").isOne();
	}

	@Test
	void keepsMetricSeriesBoundedWhateverMethodsClientsSend() throws IOException {
		this.client.get().uri("/").exchange().expectStatus().isOk().expectBody().returnResult();
		long before = gatewaySeries();
		for (int i = 0; i < 300; i++) {
			assertThat(raw("M" + i + " / HTTP/1.1\nHost: localhost\nConnection: close\n\n").status()).isEqualTo(501);
		}
		assertThat(gatewaySeries()).isEqualTo(before);
		assertThat(replicas.requests()).isOne();
	}

	@Test
	void replacesForwardingHeadersSentByClient() {
		String echoed = echo(this.client.get()
			.uri("/")
			.header("X-Forwarded-For", "203.0.113.7")
			.header("X-Forwarded-Host", "evil.example")
			.header("X-Forwarded-Proto", "https")
			.header("X-Forwarded-Port", "443")
			.header("X-Forwarded-Prefix", "/evil")
			.header("Forwarded", "for=203.0.113.7;proto=https"));
		assertThat(echoed.toLowerCase().lines()).contains("x-forwarded-for: 127.0.0.1", "x-forwarded-proto: http",
				"x-forwarded-host: 127.0.0.1", "x-forwarded-port: " + this.port);
		assertThat(echoed).doesNotContain("203.0.113.7", "evil")
			.doesNotContainIgnoringCase("forwarded: ")
			.doesNotContainIgnoringCase("x-forwarded-prefix");
	}

	@Test
	void givesEachRequestAnIdOfItsOwnWhateverTheClientSent() {
		List<String> ids = Stream.of(1, 2)
			.map((i) -> requestId(echo(this.client.get().uri("/").header("X-Request-Id", "chosen-by-client"))))
			.toList();
		assertThat(ids).doesNotHaveDuplicates().noneMatch((id) -> id.contains("chosen-by-client"));
	}

	@Test
	void logsEachPublicRequestWhenTheAccessLogIsOn(CapturedOutput output) {
		// The lines of this test's own requests, by their ids: lines of earlier requests
		// may still be on their way through the background appender
		String first = requestId(echo(this.client.get().uri("/")));
		this.management.get()
			.uri("/actuator/health/liveness")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult();
		String second = requestId(echo(this.client.get().uri("/api/visits")));
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			List<String> lines = output.getOut().lines().filter((line) -> line.contains(" access ")).toList();
			assertThat(lines).filteredOn((line) -> line.endsWith(" ms " + first))
				.singleElement()
				.matches((line) -> line.matches(".* GET / 200 127\\.0\\.0\\.\\d+:" + replicas.port() + " \\d+ ms .*"));
			assertThat(lines).filteredOn((line) -> line.endsWith(" ms " + second))
				.singleElement()
				.matches((line) -> line.matches(".* GET /api/visits 200 127\\.0\\.0\\.\\d+:\\d+ \\d+ ms .*"));
			assertThat(lines).noneMatch((line) -> line.contains("/actuator"));
		});
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
		this.client.head().uri("/favicon.ico").exchange().expectStatus().isNoContent();
		assertThat(replicas.requests()).isZero();
	}

	@Test
	void refusesRequestBodiesOverTheLimit() {
		String tooLarge = "413 Content Too Large: the request is too large.\n";
		this.client.post()
			.uri("/api/visits")
			.contentType(MediaType.TEXT_PLAIN)
			.bodyValue("x".repeat(9 * 1024))
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
			.expectBody(String.class)
			.isEqualTo(tooLarge);
		this.client.post()
			.uri("/api/visits")
			.contentType(MediaType.TEXT_PLAIN)
			.body(Flux.range(0, 9).map((i) -> "x".repeat(1024)), String.class)
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
			.expectBody(String.class)
			.isEqualTo(tooLarge);
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

	@ParameterizedTest
	@ValueSource(ints = { 0, 1 })
	void keepsReadingKeepAliveConnectionsWhoseQueuedRequestsAreAnsweredAtOnce(int publicPort) throws IOException {
		// A request queued behind one still finishing, then answered at once, used to
		// stop the server reading its connection (reactor/reactor-netty#4361)
		String path = (publicPort == 1) ? "/favicon.ico" : "/actuator/health/liveness";
		int status = (publicPort == 1) ? 204 : 200;
		for (int round = 0; round < 100; round++) {
			try (RawHttpConnection connection = new RawHttpConnection(
					(publicPort == 1) ? this.port : MANAGEMENT_PORT)) {
				connection.get(path, path);
				assertThat(connection.statuses(2)).containsOnly(status);
				connection.get(path);
				assertThat(connection.statuses(1)).as("round %d", round).containsOnly(status);
			}
		}
	}

	private void expectNotAllowed(HttpMethod method, String path, String allowed) {
		this.client.method(method)
			.uri(path)
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.METHOD_NOT_ALLOWED)
			.expectHeader()
			.valueEquals(HttpHeaders.ALLOW, allowed)
			.expectBody()
			.returnResult();
	}

	private void expectError(String accept, MediaType type, String bodyContains) {
		this.client.get()
			.uri("/nope")
			.header(HttpHeaders.ACCEPT, accept)
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentTypeCompatibleWith(type)
			.expectHeader()
			.cacheControl(CacheControl.noStore())
			.expectBody(String.class)
			.value((body) -> assertThat(body).contains(bodyContains).doesNotContain("Exception", "Whitelabel"));
	}

	@Test
	void asksNoTurboFilterOnLevelChecks() {
		// Logback asks its turbo filters on every level check of every disabled log
		// statement once there is one; the logback.events binder installs one
		LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
		assertThat(logback.getTurboFilterList()).isEmpty();
	}

	private long gatewaySeries() {
		String scrape = this.management.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		return scrape.lines().filter((line) -> line.startsWith("spring_cloud_gateway_")).count();
	}

	private static String echo(WebTestClient.RequestHeadersSpec<?> request) {
		return request.header("X-Echo-Headers", "yes")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

	private static String requestId(String echoed) {
		return echoed.lines()
			.filter((line) -> line.toLowerCase().startsWith("x-request-id: "))
			.map((line) -> line.substring("x-request-id: ".length()))
			.findFirst()
			.orElseThrow();
	}

	private RawHttpConnection.Response rawGet(String rawPath) throws IOException {
		return raw("GET " + rawPath + " HTTP/1.1\nHost: 127.0.0.1\nConnection: close\n\n");
	}

	private RawHttpConnection.Response raw(String request) throws IOException {
		try (RawHttpConnection connection = new RawHttpConnection(this.port)) {
			return connection.send(request).response();
		}
	}

}
