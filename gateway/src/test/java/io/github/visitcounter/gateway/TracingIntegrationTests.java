package io.github.visitcounter.gateway;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Traces through a real Zipkin: the gateway starts its own trace for each request, sends
 * its context to the replica, reports one client span per attempt, and logs the trace id.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "logging.level.access=info")
@ActiveProfiles("test")
@ExtendWith(OutputCaptureExtension.class)
@Testcontainers
@Import(CounterReplicas.Dns.class)
@DirtiesContext
class TracingIntegrationTests {

	@Container
	@ServiceConnection
	static final GenericContainer<?> zipkin = new GenericContainer<>("openzipkin/zipkin:3").withExposedPorts(9411)
		.waitingFor(Wait.forHttp("/health").forPort(9411).withStartupTimeout(Duration.ofMinutes(3)));

	private static final CounterReplicas replicas = CounterReplicas.start();

	private static final Pattern TRACE_PARENT = Pattern
		.compile("(?im)^traceparent: 00-([0-9a-f]{32})-([0-9a-f]{16})-01$");

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry meters;

	private WebTestClient client;

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
		this.client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + this.port).build();
	}

	@Test
	void startsItsOwnTraceSendsItToTheReplicaAndLogsItsId(CapturedOutput output) {
		String clientTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
		Matcher sent = sentTraceParent(echo("00-" + clientTrace + "-00f067aa0ba902b7-01"));
		String traceId = sent.group(1);
		assertThat(traceId).as("a trace of the gateway's own").isNotEqualTo(clientTrace);

		List<Map<String, Object>> spans = await().atMost(Duration.ofSeconds(20))
			.until(() -> trace(traceId), (trace) -> trace.size() >= 2);
		Map<String, Object> server = spans.stream()
			.filter((span) -> "SERVER".equals(span.get("kind")))
			.findFirst()
			.orElseThrow();
		Map<String, Object> proxied = spans.stream()
			.filter((span) -> "CLIENT".equals(span.get("kind")))
			.findFirst()
			.orElseThrow();
		assertThat(proxied.get("parentId")).isEqualTo(server.get("id"));
		assertThat(proxied.get("id")).as("the span the replica continues").isEqualTo(sent.group(2));
		assertThat(server.get("localEndpoint")).asInstanceOf(InstanceOfAssertFactories.MAP)
			.containsEntry("serviceName", "gateway");

		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(output.getOut().lines().filter((line) -> line.contains(" access ")))
				.anyMatch((line) -> line.contains("[" + traceId + "-" + server.get("id") + "]")
						&& line.contains(" GET / 200 ")));
	}

	@Test
	void aRetriedRequestShowsBothAttempts() {
		replicas.get(0).stopServing();
		List<String> traces = List.of(echoedTrace(), echoedTrace(), echoedTrace());
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(traces).anySatisfy((traceId) -> {
			List<Map<String, Object>> clientSpans = trace(traceId).stream()
				.filter((span) -> "CLIENT".equals(span.get("kind")))
				.toList();
			assertThat(clientSpans).hasSize(2);
			assertThat(clientSpans).extracting((span) -> span.get("parentId"))
				.containsOnly(clientSpans.get(0).get("parentId"));
		}));
	}

	@Test
	void anAttemptTheClientGaveUpOnEndsAndIsReported() {
		replicas.all().forEach((replica) -> replica.stall(true));
		// Shorter than the read timeout: the client leaves while the gateway still waits
		WebClient.create("http://127.0.0.1:" + this.port)
			.get()
			.uri("/api/visits")
			.retrieve()
			.toBodilessEntity()
			.timeout(Duration.ofMillis(700))
			.onErrorResume((ex) -> Mono.empty())
			.block(Duration.ofSeconds(5));

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.meters.find("gateway.replica.requests.active")
				.longTaskTimers()
				.stream()
				.mapToInt(LongTaskTimer::activeTasks)
				.sum()).as("attempts still open").isZero());
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(slowTraces()).anySatisfy((trace) -> assertThat(trace).anySatisfy((span) -> {
				assertThat(span.get("kind")).isEqualTo("CLIENT");
				assertThat(span.get("annotations")).asString().contains("cancelled");
			})));
	}

	private String echoedTrace() {
		return sentTraceParent(echo(null)).group(1);
	}

	private String echo(String traceParent) {
		return this.client.get().uri("/").header("X-Echo-Headers", "yes").headers((headers) -> {
			if (traceParent != null) {
				headers.set("traceparent", traceParent);
			}
		}).exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
	}

	private static Matcher sentTraceParent(String echoed) {
		Matcher matcher = TRACE_PARENT.matcher(echoed);
		assertThat(matcher.find()).as("a sampled traceparent in %s", echoed).isTrue();
		return matcher;
	}

	// Traces of at least half a second: only the attempt the client gave up on takes that
	private static List<List<Map<String, Object>>> slowTraces() {
		return WebClient.create("http://" + zipkin.getHost() + ":" + zipkin.getMappedPort(9411))
			.get()
			.uri("/api/v2/traces?serviceName=gateway&minDuration=500000&lookback=600000")
			.retrieve()
			.bodyToMono(new ParameterizedTypeReference<List<List<Map<String, Object>>>>() {
			})
			.onErrorReturn(List.of())
			.block(Duration.ofSeconds(5));
	}

	private static List<Map<String, Object>> trace(String traceId) {
		return WebClient.create("http://" + zipkin.getHost() + ":" + zipkin.getMappedPort(9411))
			.get()
			.uri("/api/v2/trace/{id}", traceId)
			.retrieve()
			.bodyToMono(new ParameterizedTypeReference<List<Map<String, Object>>>() {
			})
			.onErrorReturn(List.of())
			.block(Duration.ofSeconds(5));
	}

}
