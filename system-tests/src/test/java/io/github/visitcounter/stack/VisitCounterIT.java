package io.github.visitcounter.stack;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The original blog post's test, and what a user of the published port can and cannot
 * see.
 */
@SystemTest
class VisitCounterIT {

	private static final Pattern PAGE_NUMBER = Pattern.compile("id=\"visit-number\"[^>]*>\\s*(\\d+)\\s*<");

	private static final Pattern PAGE_HOSTNAME = Pattern.compile("id=\"hostname\"[^>]*>\\s*([^<\\s]+)\\s*<");

	private final ComposeStack stack;

	private final GatewayClient client;

	VisitCounterIT(ComposeStack stack, GatewayClient client) {
		this.stack = stack;
		this.client = client;
	}

	@Test
	void sixCurlsGiveConsecutiveVisitNumbersFromThreeReplicasInStrictRotation() {
		List<Visit> visits = IntStream.range(0, 6).mapToObj((i) -> this.client.visit()).toList();
		visits.forEach(
				(visit) -> System.out.printf("Visit number %d / Hostname: %s%n", visit.number(), visit.hostname()));

		long first = visits.get(0).number();
		assertThat(visits).extracting(Visit::number)
			.containsExactlyElementsOf(LongStream.rangeClosed(first, first + 5).boxed().toList());
		List<String> hostnames = visits.stream().map(Visit::hostname).toList();
		assertThat(hostnames.subList(0, 3)).doesNotHaveDuplicates();
		assertThat(hostnames.subList(3, 6)).containsExactlyElementsOf(hostnames.subList(0, 3));
	}

	@Test
	void pageAndJsonApiAgree() {
		HttpResponse<String> page = this.client.get("/", "text/html,application/xhtml+xml,*/*;q=0.8");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/html"));
		long shown = Long.parseLong(group(PAGE_NUMBER, page.body()));
		String servedBy = group(PAGE_HOSTNAME, page.body());

		JsonNode current = this.client.json("GET", "/api/visits");
		assertThat(current.get("visits").asLong()).isEqualTo(shown);
		assertThat(current.get("replicas").has(servedBy)).isTrue();

		JsonNode counted = this.client.json("POST", "/api/visits");
		assertThat(counted.get("visits").asLong()).isEqualTo(shown + 1);
		long perReplica = 0;
		for (JsonNode count : counted.get("replicas")) {
			perReplica += count.asLong();
		}
		assertThat(perReplica).as("per-replica counts add up to the total").isEqualTo(shown + 1);
		assertThat(this.client.json("GET", "/api/visits").get("visits").asLong()).isEqualTo(shown + 1);
	}

	@Test
	void everyContainerIsHealthyAndActuatorIsReachableOnlyInsideTheNetworks() {
		String ps = this.stack.compose("ps");
		System.out.println(ps);
		assertThat(ps.lines().filter((line) -> line.contains("(healthy)"))).hasSize(5);
		assertThat(ps).doesNotContain("unhealthy").doesNotContain("starting");

		String gateway = this.stack.containers("gateway").get(0);
		assertThat(this.stack.httpFromInside(gateway, "127.0.0.1", 8081, "/actuator/health")).startsWith("HTTP/1.0 200")
			.contains("\"UP\"");
		for (String counter : this.stack.containers("counter")) {
			String address = this.stack.address(counter, "frontend");
			assertThat(this.stack.httpFromInside(gateway, address, 8081, "/actuator/health/readiness"))
				.as("readiness of counter %s from the gateway", address)
				.startsWith("HTTP/1.0 200")
				.contains("\"UP\"");
			assertThat(this.stack.docker("port", counter)).as("ports counter %s publishes", address).isBlank();
		}

		for (String path : List.of("/actuator", "/actuator/health", "/actuator/prometheus", "/actuator/env")) {
			assertThat(this.client.get(path, "*/*").statusCode()).as(path).isEqualTo(404);
		}
	}

	private static String group(Pattern pattern, String body) {
		Matcher matcher = pattern.matcher(body);
		assertThat(matcher.find()).as("%s in %s", pattern, body).isTrue();
		return matcher.group(1);
	}

}
