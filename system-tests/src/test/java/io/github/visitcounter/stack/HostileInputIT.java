package io.github.visitcounter.stack;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Malformed and hostile requests through the published port, byte for byte. None gets a
 * 5xx, a stack trace or an actuator endpoint; none stops the others being served; after
 * them every container is healthy and the count is consistent.
 */
@SystemTest
class HostileInputIT {

	private static final Pattern STACK_TRACE = Pattern
		.compile("Exception|\\tat |java\\.|reactor\\.|springframework|Whitelabel");

	// The page's footer: the address the gateway saw the client connect from
	private static final Pattern CLIENT_ADDRESS = Pattern
		.compile("Your address: <span id=\"client-address\">\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}</span>");

	private static final AtomicLong visitsAnswered = new AtomicLong();

	private static String gatewayStartedAt;

	private static long countBefore;

	private static ComposeStack stack;

	private static GatewayClient client;

	private static RawHttp raw;

	@BeforeAll
	static void countBefore(ComposeStack composeStack, GatewayClient gatewayClient) {
		stack = composeStack;
		client = gatewayClient;
		raw = new RawHttp(stack.uri("/").getPort());
		countBefore = count();
		gatewayStartedAt = startedAndRestarts(stack.containers("gateway").get(0));
	}

	@AfterAll
	static void everyContainerHealthyAndCountConsistent() {
		stack.awaitHealthy(3);
		assertThat(startedAndRestarts(stack.containers("gateway").get(0))).as("the gateway, not restarted")
			.isEqualTo(gatewayStartedAt);
		long counted = count() - countBefore;
		System.out.printf("Hostile input: %d visits counted, %d answered with a visit number%n", counted,
				visitsAnswered.get());
		assertThat(counted).isEqualTo(visitsAnswered.get());
	}

	static Stream<HostileRequest> requests() {
		String big = "A".repeat(16 * 1024);
		List<HostileRequest> requests = new ArrayList<>();
		// oversized request line and headers
		requests.add(get("16 KiB request line", "/?q=" + big, "", 414, 400));
		requests.add(get("20 KiB header", "/", "X-Big: " + "B".repeat(20 * 1024) + "\r\n", 431, 400));
		requests
			.add(get("300 headers", "/", "X-Many: 0123456789012345678901234567890123456789\r\n".repeat(300), 431, 400));
		requests.add(get("64 KiB cookie", "/", "Cookie: c=" + "C".repeat(64 * 1024) + "\r\n", 431, 400));
		// methods
		requests.add(request("unknown method", "FOO / HTTP/1.1\r\nHost: x\r\n\r\n", 501));
		requests.add(request("TRACE", "TRACE / HTTP/1.1\r\nHost: x\r\n\r\n", 405));
		requests.add(request("OPTIONS", "OPTIONS / HTTP/1.1\r\nHost: x\r\n\r\n", 405));
		requests.add(request("CONNECT", "CONNECT 127.0.0.1:6379 HTTP/1.1\r\nHost: 127.0.0.1:6379\r\n\r\n", 400));
		requests.add(request("PROPFIND", "PROPFIND / HTTP/1.1\r\nHost: x\r\n\r\n", 501));
		requests.add(request("lower-case method", "get / HTTP/1.1\r\nHost: x\r\n\r\n", 400, 501));
		requests.add(request("DELETE /api/visits", "DELETE /api/visits HTTP/1.1\r\nHost: x\r\n\r\n", 405));
		requests.add(request("PUT /", "PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", 405));
		requests.add(request("PATCH /api/visits", "PATCH /api/visits HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
				405));
		requests.add(request("POST /", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}", 405));
		requests.add(request("method override header ignored",
				"GET / HTTP/1.1\r\nHost: x\r\nX-HTTP-Method-Override: DELETE\r\nConnection: close\r\n\r\n", 200));
		// paths
		for (String path : List.of("/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc%2fpasswd",
				"/visits.css/..%2f..%2fetc/passwd", "/%00", "/%zz", "/\\..\\..\\etc\\passwd", "/%5c..%5cetc/passwd",
				"/;/../etc/passwd")) {
			requests.add(get("path " + path, path, "", 400, 404));
		}
		// actuator, in every spelling
		for (String path : List.of("/actuator", "/actuator/", "/actuator/env", "//actuator/env", "/ACTUATOR/env",
				"/Actuator/Health", "/%61ctuator/env", "/actuator/../actuator/env", "/foo/../actuator/env",
				"/actuator;x=y/env", "/actuator%2Fenv", "/%2e/actuator/env", "/./actuator/env",
				"/actuator/health/readiness", "/actuator/prometheus", "/actuator/gateway/routes", "/%2Factuator/env",
				"/actuator%2f..%2fenv", "/actuator/env?x=y", "/actuator/heapdump", "/.%2factuator/env")) {
			requests.add(get("actuator " + path, path, "", 400, 404));
		}
		// headers
		requests.add(get("spoofed Host", "/", "X-Ignore: 1\r\n", 200).withHost("evil.example"));
		requests.add(get("spoofed X-Forwarded-For", "/",
				"Accept: text/html\r\nX-Forwarded-For: 6.6.6.6\r\nX-Forwarded-Host: evil.example\r\n"
						+ "X-Forwarded-Proto: https\r\nX-Forwarded-Prefix: /evil\r\n",
				200)
			.mustNotShow("6.6.6.6", "evil.example", "/evil")
			.mustShow(CLIENT_ADDRESS));
		requests.add(get("spoofed Forwarded", "/",
				"Accept: text/html\r\nForwarded: for=6.6.6.6;host=evil.example;proto=https\r\n", 200)
			.mustNotShow("6.6.6.6", "evil.example")
			.mustShow(CLIENT_ADDRESS));
		requests.add(get("invalid Accept", "/", "Accept: ;;;not a media type\r\n", 400, 406));
		requests.add(get("unacceptable Accept", "/", "Accept: image/png\r\n", 406));
		requests.add(request("Content-Length and Transfer-Encoding both",
				"POST /api/visits HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n"
						+ "Connection: close\r\n\r\n0\r\n\r\n",
				400));
		requests.add(request("Transfer-Encoding other than chunked",
				"POST /api/visits HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n"
						+ "Connection: close\r\n\r\n0\r\n\r\n",
				400));
		requests.add(request("Transfer-Encoding on HTTP/1.0",
				"POST /api/visits HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400));
		requests.add(request("two Host headers",
				"GET / HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\nConnection: close\r\n\r\n", 400));
		requests.add(request("malformed Host", "GET / HTTP/1.1\r\nHost: evil.example/../x\r\nConnection: close\r\n\r\n",
				400));
		requests.add(request("Host with user info",
				"GET / HTTP/1.1\r\nHost: user@evil.example\r\nConnection: close\r\n\r\n", 400));
		requests.add(
				request("WebSocket handshake",
						"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
								+ "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
						400));
		requests.add(request("h2c upgrade, served over HTTP/1.1",
				"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: h2c\r\nConnection: Upgrade, HTTP2-Settings, close\r\n"
						+ "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n",
				200));
		requests.add(get("a path the product does not serve", "/api/visits/", "", 404));
		requests.add(request("two different Content-Lengths",
				"POST /api/visits HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n"
						+ "Connection: close\r\n\r\nab",
				400));
		// protocol edges
		requests.add(request("HTTP/1.0 without Host", "GET / HTTP/1.0\r\n\r\n", 200));
		requests.add(request("HTTP/1.0 keep-alive", "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", 200));
		requests.add(request("HTTP/1.1 without Host", "GET / HTTP/1.1\r\nConnection: close\r\n\r\n", 400));
		requests.add(request("HTTP/2.0 request line in clear text", "GET / HTTP/2.0\r\nHost: x\r\n\r\n", 400, 505));
		// Netty reads any HTTP/1.x-shaped version as HTTP/1.1
		requests.add(request("HTTP/9.9", "GET / HTTP/9.9\r\nHost: x\r\nConnection: close\r\n\r\n", 200, 400, 505));
		requests.add(request("TLS hello on the plain port",
				"\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u01fc\u0003\u0003", 400, 0));
		requests.add(request("empty request line", "\r\n\r\n\r\n", 400, 0));
		requests.add(request("Expect: 100-continue",
				"POST /api/visits HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 0\r\n"
						+ "Connection: close\r\n\r\n",
				100, 200, 417));
		requests.add(request("absolute-form target",
				"GET http://evil.example/ HTTP/1.1\r\nHost: evil.example\r\n" + "Connection: close\r\n\r\n", 200));
		return requests.stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("requests")
	void hostileRequestGetsAClearAnswerAndNoInternals(HostileRequest request) {
		String response = raw.exchange(request.bytes(), Duration.ofSeconds(5));
		int status = RawHttp.status(response);
		countVisits(response);
		assertThat(request.allowed()).as("status %d for %s:%n%s", status, request.name(), head(response))
			.contains(status);
		assertThat(STACK_TRACE.matcher(response).find()).as("internals in %s", head(response)).isFalse();
		for (String forbidden : request.mustNotShow()) {
			assertThat(response).doesNotContain(forbidden);
		}
		for (Pattern expected : request.mustShow()) {
			assertThat(response).containsPattern(expected);
		}
	}

	@Test
	void pipelinedRequestsOnOneConnectionAreAllAnswered() {
		String response = raw.exchange(
				"GET / HTTP/1.1\r\nHost: x\r\n\r\n".repeat(3).getBytes(StandardCharsets.US_ASCII),
				Duration.ofSeconds(3));
		countVisits(response);
		assertThat(Pattern.compile("HTTP/1.1 200").matcher(response).results().count()).as(response).isEqualTo(3);
	}

	@Test
	void hugeBodyIsRejectedOrIgnoredNotBuffered() {
		byte[] head = ("POST /api/visits HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\nContent-Length: "
				+ (512L * 1024 * 1024) + "\r\nConnection: close\r\n\r\n")
			.getBytes(StandardCharsets.ISO_8859_1);
		byte[] request = new byte[head.length + 1024 * 1024];
		System.arraycopy(head, 0, request, 0, head.length);
		String response = raw.exchange(request, Duration.ofSeconds(5));
		countVisits(response);
		assertThat(RawHttp.status(response)).as(head(response)).isIn(413, 200);
	}

	@Test
	void chunkedHugeBodyIsRejectedOrIgnored() {
		StringBuilder request = new StringBuilder("POST /api/visits HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n"
				+ "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
		String chunk = "D".repeat(64 * 1024);
		for (int i = 0; i < 32; i++) {
			request.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
		}
		request.append("0\r\n\r\n");
		String response = raw.exchange(request.toString());
		countVisits(response);
		assertThat(RawHttp.status(response)).as(head(response)).isIn(413, 200);
	}

	@Test
	void clientsTricklingHeadersAreCutWhileOthersAreServed() throws IOException {
		List<Socket> slow = new ArrayList<>();
		Set<Socket> cut = new HashSet<>();
		Instant start = Instant.now();
		try {
			for (int i = 0; i < 200; i++) {
				Socket socket = new Socket("127.0.0.1", raw.port());
				socket.setSoTimeout(50);
				socket.getOutputStream()
					.write("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
				slow.add(socket);
			}
			// A byte every 2 s from each, while a visitor is served each round
			await("200 slow clients cut off").atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofSeconds(2))
				.until(() -> {
					for (Socket socket : slow) {
						if (!cut.contains(socket) && !trickle(socket)) {
							cut.add(socket);
						}
					}
					assertThat(client.visit().number()).isPositive();
					visitsAnswered.incrementAndGet();
					return cut.size() == slow.size();
				});
			System.out.printf("Slow clients: all %d cut %d ms after they started%n", slow.size(),
					Duration.between(start, Instant.now()).toMillis());
		}
		finally {
			for (Socket socket : slow) {
				socket.close();
			}
		}
	}

	@Test
	void madeUpMethodsAddNoMetricSeries() {
		String gateway = stack.containers("gateway").get(0);
		long before = metricSeries(gateway);
		for (int i = 0; i < 1500; i++) {
			String response = raw.exchange("M" + i + " / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
			assertThat(RawHttp.status(response)).isEqualTo(501);
		}
		long after = metricSeries(gateway);
		System.out.printf("1500 made-up methods: %d metric series before, %d after%n", before, after);
		assertThat(after).isLessThanOrEqualTo(before + 10);
	}

	/** Writes one more byte; false when the gateway has cut the connection. */
	private static boolean trickle(Socket socket) {
		try {
			byte[] answer = new byte[64];
			try {
				int read = socket.getInputStream().read(answer);
				if (read != 0) {
					// the 408 and the close, or only the close
					return false;
				}
			}
			catch (SocketTimeoutException ex) {
				// nothing to read yet: still open
			}
			socket.getOutputStream().write('a');
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static long metricSeries(String gateway) {
		return stack.httpFromInside(gateway, "127.0.0.1", 8081, "/actuator/prometheus")
			.lines()
			.filter((line) -> !line.isBlank() && !line.startsWith("#") && Character.isLowerCase(line.charAt(0)))
			.count();
	}

	private static String startedAndRestarts(String container) {
		return stack.docker("inspect", "-f", "{{.State.StartedAt}} {{.RestartCount}}", container).trim();
	}

	private static void countVisits(String response) {
		visitsAnswered.addAndGet(Pattern.compile("Visit number \\d+\nHostname:|\"visits\":\\s*\\d+|id=\"visit-number\"")
			.matcher(response)
			.results()
			.count());
	}

	private static long count() {
		return client.json("GET", "/api/visits").get("visits").asLong();
	}

	private static String head(String response) {
		return response.substring(0, Math.min(response.length(), 600));
	}

	private static HostileRequest get(String name, String target, String headers, Integer... allowed) {
		return new HostileRequest(name,
				"GET " + target + " HTTP/1.1\r\nHost: %s\r\n" + headers + "Connection: close\r\n\r\n", "localhost",
				Set.of(allowed), List.of(), List.of());
	}

	private static HostileRequest request(String name, String text, Integer... allowed) {
		return new HostileRequest(name, text, null, Set.of(allowed), List.of(), List.of());
	}

	record HostileRequest(String name, String text, String host, Set<Integer> allowed, List<String> mustNotShow,
			List<Pattern> mustShow) {

		HostileRequest withHost(String host) {
			return new HostileRequest(this.name, this.text, host, this.allowed, this.mustNotShow, this.mustShow);
		}

		HostileRequest mustNotShow(String... texts) {
			return new HostileRequest(this.name, this.text, this.host, this.allowed, List.of(texts), this.mustShow);
		}

		HostileRequest mustShow(Pattern pattern) {
			return new HostileRequest(this.name, this.text, this.host, this.allowed, this.mustNotShow,
					List.of(pattern));
		}

		byte[] bytes() {
			String request = (this.host != null) ? this.text.replace("Host: %s", "Host: " + this.host) : this.text;
			return request.getBytes(StandardCharsets.ISO_8859_1);
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

}
