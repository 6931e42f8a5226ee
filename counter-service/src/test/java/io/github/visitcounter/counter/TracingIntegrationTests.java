package io.github.visitcounter.counter;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Traces through a real Zipkin: a replica continues the gateway's trace, with the Redis
 * script as a child span, and its log lines carry the trace id.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "counter.hostname=replica-traced" })
@AutoConfigureWebTestClient
@AutoConfigureMetrics
@ExtendWith(OutputCaptureExtension.class)
@Testcontainers
@Import(ContainersConfiguration.class)
class TracingIntegrationTests {

	@Container
	@ServiceConnection
	static final GenericContainer<?> zipkin = new GenericContainer<>("openzipkin/zipkin:3").withExposedPorts(9411)
		.waitingFor(Wait.forHttp("/health").forPort(9411).withStartupTimeout(Duration.ofMinutes(3)));

	@Autowired
	private WebTestClient client;

	@Autowired
	private GenericContainer<?> redis;

	@LocalManagementPort
	private int managementPort;

	private boolean paused;

	@AfterEach
	void unpauseRedis() {
		if (this.paused) {
			this.redis.getDockerClient().unpauseContainerCmd(this.redis.getContainerId()).exec();
		}
	}

	@Test
	void continuesTheGatewaysTraceWithTheRedisScriptAsAChildSpan() {
		String traceId = "6b0f4c03b19a3cad6865879a803c0001";
		String gatewaySpan = "00f067aa0ba90001";
		visit(traceId, gatewaySpan).expectStatus().isOk().expectBody().returnResult();

		List<Map<String, Object>> spans = await().atMost(Duration.ofSeconds(20))
			.until(() -> trace(traceId), (trace) -> trace.size() >= 2);
		Map<String, Object> server = spans.stream()
			.filter((span) -> "SERVER".equals(span.get("kind")))
			.findFirst()
			.orElseThrow();
		assertThat(server.get("parentId")).as("the gateway's client span").isEqualTo(gatewaySpan);
		assertThat(server.get("localEndpoint")).asInstanceOf(InstanceOfAssertFactories.MAP)
			.containsEntry("serviceName", "counter-service");
		assertThat(spans).filteredOn((span) -> server.get("id").equals(span.get("parentId")))
			.extracting((span) -> span.get("name"))
			.as("Redis calls under the replica's span")
			.anyMatch((name) -> name.toString().contains("evalsha") || name.toString().contains("eval"));
	}

	@Test
	void logsTheTraceIdOfTheRequestItWasServing(CapturedOutput output) {
		this.redis.getDockerClient().pauseContainerCmd(this.redis.getContainerId()).exec();
		this.paused = true;
		String traceId = "6b0f4c03b19a3cad6865879a803c0002";
		visit(traceId, "00f067aa0ba90002").expectStatus().isEqualTo(503).expectBody().returnResult();
		String line = output.getOut()
			.lines()
			.filter((candidate) -> candidate.contains("visit store") && candidate.contains(traceId))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no log line with trace " + traceId));
		List<Map<String, Object>> spans = await().atMost(Duration.ofSeconds(20))
			.until(() -> trace(traceId),
					(trace) -> trace.stream().anyMatch((span) -> "SERVER".equals(span.get("kind"))));
		String serverSpan = spans.stream()
			.filter((span) -> "SERVER".equals(span.get("kind")))
			.map((span) -> span.get("id").toString())
			.findFirst()
			.orElseThrow();
		assertThat(line).contains("[" + traceId + "-" + serverSpan + "]");
	}

	@Test
	void scrapeCarriesNoExemplarsThatPrometheusBefore243Rejects() {
		visit("6b0f4c03b19a3cad6865879a803c0003", "00f067aa0ba90003").expectStatus().isOk().expectBody().returnResult();
		// What Prometheus asks for first
		String scrape = WebClient.create("http://localhost:" + this.managementPort)
			.get()
			.uri("/actuator/prometheus")
			.header("Accept", "application/openmetrics-text;version=1.0.0")
			.retrieve()
			.bodyToMono(String.class)
			.block(Duration.ofSeconds(10));
		assertThat(scrape).contains("visits_counted_total").endsWith("# EOF\n").doesNotContain("trace_id=");
	}

	private WebTestClient.ResponseSpec visit(String traceId, String parentSpan) {
		return this.client.get()
			.uri("/")
			.header("traceparent", "00-" + traceId + "-" + parentSpan + "-01")
			.header("X-Request-Id", "traced-" + traceId)
			.exchange();
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
