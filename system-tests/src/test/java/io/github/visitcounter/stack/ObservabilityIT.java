package io.github.visitcounter.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code docker compose --profile observability up}: Zipkin gets traces that go from the
 * gateway into a replica and its Redis call, Prometheus finds every replica and the
 * gateway by DNS, scaling included, and visits can be queried as they are counted. A
 * stack of its own, with the profile on.
 */
@EnabledIf("io.github.visitcounter.stack.ComposeStack#dockerAvailable")
class ObservabilityIT {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient http = HttpClient.newHttpClient();

	private static final int ZIPKIN_PORT = freePort();

	private static final int PROMETHEUS_PORT = freePort();

	private static ComposeStack stack;

	private static GatewayClient client;

	@BeforeAll
	static void upWithTheProfile() {
		stack = ComposeStack.up(3, Map.of("COMPOSE_PROFILES", "observability", "ZIPKIN_PORT",
				Integer.toString(ZIPKIN_PORT), "PROMETHEUS_PORT", Integer.toString(PROMETHEUS_PORT)));
		client = new GatewayClient(stack);
		client.awaitRotation(3);
	}

	@AfterAll
	static void down() {
		if (stack != null) {
			stack.close();
		}
	}

	@Test
	void aTraceGoesFromTheGatewayIntoAReplicaAndItsRedisCall() {
		for (int i = 0; i < 3; i++) {
			client.visit();
		}
		JsonNode trace = await("a trace from the gateway into a replica").atMost(Duration.ofMinutes(1))
			.pollInterval(Duration.ofSeconds(1))
			.ignoreExceptions()
			.until(() -> StreamSupport
				.stream(zipkin("/api/v2/traces?serviceName=counter-service&limit=20").spliterator(), false)
				.filter(ObservabilityIT::throughTheGateway)
				.findFirst()
				.orElse(null), (found) -> found != null);
		System.out.println("A trace in Zipkin:");
		for (JsonNode span : trace) {
			System.out.printf("  %-16s %-7s %-28s id %s parent %s%n",
					span.path("localEndpoint").path("serviceName").asString(), span.path("kind").asString("-"),
					span.path("name").asString(), span.path("id").asString(), span.path("parentId").asString("-"));
		}
	}

	@Test
	void prometheusFindsEveryReplicaAndTheGatewayAndFollowsScaling() {
		awaitTargetsUp(3);
		stack.scale(5);
		try {
			Map<String, Long> targets = awaitTargetsUp(5);
			System.out.println("Prometheus targets up after --scale counter=5: " + targets);
		}
		finally {
			stack.scale(3);
			client.awaitRotation(3);
		}
	}

	@Test
	void visitsCountedCanBeQueriedAndRiseWithTheVisits() {
		double before = await("visits_counted_total in Prometheus").atMost(Duration.ofMinutes(1))
			.pollInterval(Duration.ofSeconds(1))
			.ignoreExceptions()
			.until(() -> query("sum(visits_counted_total)"), (value) -> value != null);
		for (int i = 0; i < 10; i++) {
			client.visit();
		}
		double after = await("visits_counted_total up by 10").atMost(Duration.ofMinutes(1))
			.pollInterval(Duration.ofSeconds(1))
			.until(() -> query("sum(visits_counted_total)"), (value) -> value != null && value >= before + 10);
		System.out.printf("sum(visits_counted_total): %.0f before 10 visits, %.0f after%n", before, after);
	}

	// A counter span whose parent is a gateway span, and a child of the counter's
	private static boolean throughTheGateway(JsonNode trace) {
		List<JsonNode> spans = StreamSupport.stream(trace.spliterator(), false).toList();
		return spans.stream()
			.filter((span) -> "counter-service".equals(span.path("localEndpoint").path("serviceName").asString())
					&& "SERVER".equals(span.path("kind").asString()))
			.anyMatch((counter) -> spans.stream()
				.anyMatch((gateway) -> "gateway".equals(gateway.path("localEndpoint").path("serviceName").asString())
						&& gateway.path("id").asString().equals(counter.path("parentId").asString()))
					&& spans.stream()
						.anyMatch((child) -> counter.path("id").asString().equals(child.path("parentId").asString())));
	}

	private static Map<String, Long> awaitTargetsUp(int counters) {
		return await("%d counters and the gateway up in Prometheus".formatted(counters)).atMost(Duration.ofMinutes(2))
			.pollInterval(Duration.ofSeconds(1))
			.ignoreExceptions()
			.until(ObservabilityIT::targetsUp,
					(up) -> up.getOrDefault("counter", 0L) == counters && up.getOrDefault("gateway", 0L) == 1);
	}

	private static Map<String, Long> targetsUp() {
		JsonNode targets = prometheus("/api/v1/targets?state=active").path("data").path("activeTargets");
		return StreamSupport.stream(targets.spliterator(), false)
			.filter((target) -> "up".equals(target.path("health").asString()))
			.collect(Collectors.groupingBy((target) -> target.path("labels").path("job").asString(),
					Collectors.counting()));
	}

	private static Double query(String expression) {
		JsonNode result = prometheus("/api/v1/query?query=" + URLEncoder.encode(expression, StandardCharsets.UTF_8))
			.path("data")
			.path("result");
		return result.isEmpty() ? null : Double.valueOf(result.get(0).path("value").get(1).asString());
	}

	private static JsonNode zipkin(String path) {
		return get("http://127.0.0.1:" + ZIPKIN_PORT + path);
	}

	private static JsonNode prometheus(String path) {
		return get("http://127.0.0.1:" + PROMETHEUS_PORT + path);
	}

	private static JsonNode get(String uri) {
		try {
			String body = http
				.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10)).build(),
						BodyHandlers.ofString())
				.body();
			return JSON.readTree(body);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
