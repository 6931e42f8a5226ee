package io.github.visitcounter.stack;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code deploy/rollout counter}, as the README runs it, while a steady stream of
 * requests flows through the published port; each test ends with the accounting of
 * {@link ResilienceIT}.
 */
@SystemTest
class RolloutIT {

	private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(20);

	private static final Duration ROLLOUT_TIMEOUT = Duration.ofMinutes(10);

	private final ComposeStack stack;

	private final GatewayClient client;

	private final List<RequestStream> streams = new ArrayList<>();

	private long countBefore;

	RolloutIT(ComposeStack stack, GatewayClient client) {
		this.stack = stack;
		this.client = client;
	}

	@BeforeEach
	void countBefore() {
		this.countBefore = count();
	}

	@AfterEach
	void everyAnsweredVisitIsCountedOnce() {
		this.streams.forEach(RequestStream::close);
		List<Visit> answered = this.streams.stream().flatMap((stream) -> stream.visits().stream()).toList();
		long counted = count() - this.countBefore;
		System.out.printf("Accounting: %d visits counted in Redis, %d answered with a visit number%n", counted,
				answered.size());
		assertThat(answered).extracting(Visit::number).doesNotHaveDuplicates();
		assertThat(counted).as("visits counted").isEqualTo(answered.size());
	}

	@Test
	void rolloutReplacesEveryReplicaWithTheCurrentImageWithoutAFailedRequest() {
		List<String> before = this.stack.containers("counter");
		RequestStream gets = stream("GET");
		RequestStream posts = stream("POST");
		awaitTraffic(gets, 100);

		// The README's two commands, from the repository's root, the stack named by
		// COMPOSE_PROJECT_NAME and COMPOSE_FILE
		ComposeStack.Result build = this.stack.run(BUILD_TIMEOUT, "docker", "compose", "build", "counter");
		assertThat(build.exitCode()).as(build.output()).isZero();
		Instant started = Instant.now();
		ComposeStack.Result rollout = this.stack.run(ROLLOUT_TIMEOUT, "deploy/rollout", "counter");
		Instant done = Instant.now();
		System.out.println(rollout.output());
		assertThat(rollout.exitCode()).as(rollout.output()).isZero();

		List<String> after = this.stack.containers("counter");
		assertThat(after).as("replicas after the rollout").hasSize(before.size()).doesNotContainAnyElementsOf(before);
		String image = this.stack.docker("image", "inspect", "-f", "{{.Id}}", imageOf(after.get(0))).trim();
		assertThat(after).allSatisfy((id) -> {
			assertThat(this.stack.docker("inspect", "-f", "{{.Image}}", id).trim()).as("image of %s", id)
				.isEqualTo(image);
			assertThat(this.stack.health(id)).as("health of %s", id).isEqualTo("healthy");
		});
		awaitTraffic(gets, 100);
		assertThat(hostnames(gets.since(done))).as("replicas serving after the rollout").isEqualTo(hostnamesOf(after));

		gets.close();
		posts.close();
		System.out.printf("deploy/rollout counter: %d replicas replaced in %d ms%n", after.size(),
				Duration.between(started, done).toMillis());
		System.out.println("deploy/rollout counter, GET: " + gets.summary());
		System.out.println("deploy/rollout counter, POST: " + posts.summary());
		assertThat(gets.failures()).as("failed GETs").isEmpty();
		assertThat(posts.failures()).as("failed POSTs").isEmpty();
	}

	@Test
	void newReplicaFailingItsHealthCheckIsRemovedAndTheOthersKeepServing() throws URISyntaxException {
		List<String> before = this.stack.containers("counter");
		RequestStream gets = stream("GET");
		awaitTraffic(gets, 100);

		// -p and -f instead of the variables, from another directory; the added file
		// gives the new replica a health check that fails
		Path unhealthy = Path.of(getClass().getResource("/rollout/unhealthy-counter.yaml").toURI());
		ComposeStack.Result rollout = ComposeStack.run(ROLLOUT_TIMEOUT, Map.of(), Path.of("").toAbsolutePath(),
				List.of(this.stack.directory().resolve("deploy/rollout").toString(), "-p", this.stack.project(), "-f",
						this.stack.composeFile().toString(), "-f", unhealthy.toString(), "counter"));
		Instant done = Instant.now();
		System.out.println(rollout.output());
		assertThat(rollout.exitCode()).as(rollout.output()).isEqualTo(1);
		assertThat(rollout.output()).contains("failed its health check")
			.contains("0 of %d replica(s) replaced".formatted(before.size()));

		assertThat(
				this.stack.docker("ps", "-aq", "--filter", "label=com.docker.compose.project=" + this.stack.project(),
						"--filter", "label=com.docker.compose.service=counter"))
			.as("counter containers, running or not, after the failed rollout")
			.isEqualToIgnoringWhitespace(String.join("", this.stack.containers("counter")));
		assertThat(this.stack.containers("counter")).containsExactlyInAnyOrderElementsOf(before);
		awaitTraffic(gets, 100);
		assertThat(hostnames(gets.since(done))).as("replicas serving after the failed rollout")
			.isEqualTo(hostnamesOf(before));

		gets.close();
		System.out.println("deploy/rollout counter with a failing health check, GET: " + gets.summary());
		assertThat(gets.failures()).as("failed GETs").isEmpty();
	}

	private RequestStream stream(String method) {
		RequestStream stream = RequestStream.of(this.client, method, 2);
		this.streams.add(stream);
		return stream;
	}

	private long count() {
		return this.client.json("GET", "/api/visits").get("visits").asLong();
	}

	private String imageOf(String container) {
		return this.stack.docker("inspect", "-f", "{{.Config.Image}}", container).trim();
	}

	private Set<String> hostnamesOf(List<String> containers) {
		return containers.stream()
			.map((id) -> this.stack.docker("inspect", "-f", "{{.Config.Hostname}}", id).trim())
			.collect(Collectors.toSet());
	}

	private static Set<String> hostnames(List<RequestStream.Outcome> outcomes) {
		return outcomes.stream()
			.filter((outcome) -> outcome.visit() != null)
			.map((outcome) -> outcome.visit().hostname())
			.collect(Collectors.toSet());
	}

	private static void awaitTraffic(RequestStream stream, int requests) {
		int before = stream.outcomes().size();
		await().atMost(Duration.ofSeconds(30)).until(() -> stream.outcomes().size() >= before + requests);
	}

}
