package io.github.visitcounter.stack;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The same system on Docker Swarm: {@code deploy/swarm/stack.yaml} on a single-node swarm
 * that the test creates and removes ({@link SwarmStack}), while a steady stream of
 * requests flows through the published port; each test ends with the accounting of
 * {@link ResilienceIT}. Skipped, saying why, where the engine cannot create a swarm, is
 * in one already, or runs other containers that leaving the swarm would cut off.
 */
@EnabledIf("io.github.visitcounter.stack.ComposeStack#dockerAvailable")
// First of the system tests (junit-platform.properties), before the shared compose stack
// exists: leaving the
// swarm would cut its containers off their networks (moby/moby#42877)
@Order(1)
class SwarmIT {

	private static final int REPLICAS = 3;

	private static SwarmStack swarm;

	private static GatewayClient client;

	private final List<RequestStream> streams = new ArrayList<>();

	/** Visits a test asked for one by one, outside the streams. */
	private final List<Visit> visited = new ArrayList<>();

	private long countBefore;

	@BeforeAll
	static void deploy() {
		Instant started = Instant.now();
		swarm = SwarmStack.deploy();
		client = new GatewayClient(swarm.uri());
		client.awaitRotation(REPLICAS);
		System.out.printf("docker stack deploy: %d counters, Redis and the gateway healthy and serving in %d ms%n",
				REPLICAS, Duration.between(started, Instant.now()).toMillis());
	}

	@AfterAll
	static void remove() {
		if (swarm != null) {
			swarm.close();
		}
	}

	@BeforeEach
	void countBefore() {
		swarm.awaitHealthy(REPLICAS);
		awaitStrictRotation(REPLICAS);
		this.countBefore = count();
	}

	@AfterEach
	void everyAnsweredVisitIsCountedOnce() {
		this.streams.forEach(RequestStream::close);
		this.streams.stream()
			.filter((stream) -> !stream.failures().isEmpty())
			.forEach((stream) -> System.out.println("Failed requests: " + stream.summary()));
		List<Visit> answered = new ArrayList<>(this.visited);
		this.streams.forEach((stream) -> answered.addAll(stream.visits()));
		long counted = count() - this.countBefore;
		System.out.printf("Accounting: %d visits counted in Redis, %d answered with a visit number%n", counted,
				answered.size());
		assertThat(answered).extracting(Visit::number).doesNotHaveDuplicates();
		assertThat(counted).as("visits counted").isEqualTo(answered.size());
	}

	@Test
	void servesConsecutiveVisitsInStrictRotationOverThreeReplicas() {
		List<Visit> visits = IntStream.range(0, 3 * REPLICAS).mapToObj((i) -> client.visit()).toList();
		this.visited.addAll(visits);
		visits.forEach(
				(visit) -> System.out.printf("Visit number %d / Hostname: %s%n", visit.number(), visit.hostname()));

		long first = visits.get(0).number();
		assertThat(visits).extracting(Visit::number)
			.containsExactlyElementsOf(LongStream.range(first, first + visits.size()).boxed().toList());
		assertThat(strictRotation(visits, REPLICAS)).as("strict rotation over %d replicas", REPLICAS).isTrue();
		assertThat(visits.stream().map(Visit::hostname).collect(Collectors.toSet()))
			.isEqualTo(hostnamesOf(swarm.containers("counter")));
	}

	@Test
	void forcedUpdateOfTheCounterReplacesEveryReplicaWithoutAFailedRequest() {
		List<String> before = swarm.containers("counter");
		RequestStream gets = stream("GET");
		RequestStream posts = stream("POST");
		awaitTraffic(gets, 100);

		Instant started = Instant.now();
		swarm.docker("service", "update", "--force", "--detach=false", SwarmStack.COUNTER);
		Instant done = Instant.now();
		// The command returns once the tasks run; the update ends with its monitor period
		await("the update completed").atMost(Duration.ofMinutes(1))
			.pollInterval(Duration.ofSeconds(1))
			.until(() -> swarm.docker("service", "inspect", "-f", "{{.UpdateStatus.State}}", SwarmStack.COUNTER)
				.trim()
				.equals("completed"));

		swarm.awaitHealthy(REPLICAS);
		List<String> after = swarm.containers("counter");
		assertThat(after).as("replicas after the update").doesNotContainAnyElementsOf(before);
		Set<String> updated = hostnamesOf(after);
		Instant healthy = Instant.now();
		await("the gateway serving from the updated replicas only").atMost(Duration.ofSeconds(30))
			.until(() -> hostnames(gets.since(healthy)).equals(updated) && gets.since(healthy).size() > 50);

		gets.close();
		posts.close();
		System.out.printf("docker service update --force %s: %d replicas replaced in %d ms%n", SwarmStack.COUNTER,
				after.size(), Duration.between(started, done).toMillis());
		System.out.println("docker service update --force, GET: " + gets.summary());
		System.out.println("docker service update --force, POST: " + posts.summary());
		assertThat(gets.failures()).as("failed GETs").isEmpty();
		assertThat(posts.failures()).as("failed POSTs").isEmpty();
	}

	@Test
	void updateWhoseNewReplicaFailsItsHealthCheckRollsBackWithoutAFailedRequest() {
		List<String> before = swarm.containers("counter");
		String healthcheck = swarm
			.docker("service", "inspect", "-f", "{{json .Spec.TaskTemplate.ContainerSpec.Healthcheck}}",
					SwarmStack.COUNTER)
			.trim();
		RequestStream gets = stream("GET");
		awaitTraffic(gets, 100);

		// As a broken build would: the new replica never passes its health check
		ComposeStack.Result update = swarm.run(Duration.ofMinutes(5), "docker", "service", "update", "--detach=false",
				"--health-cmd", "false", "--health-interval", "1s", "--health-retries", "1", "--health-start-period",
				"0s", SwarmStack.COUNTER);
		System.out.println("docker service update with a failing health check exited with " + update.exitCode());
		await("the update rolled back").atMost(Duration.ofMinutes(3))
			.pollInterval(Duration.ofSeconds(1))
			.until(() -> swarm.docker("service", "inspect", "-f", "{{.UpdateStatus.State}}", SwarmStack.COUNTER)
				.trim()
				.equals("rollback_completed"));
		assertThat(swarm
			.docker("service", "inspect", "-f", "{{json .Spec.TaskTemplate.ContainerSpec.Healthcheck}}",
					SwarmStack.COUNTER)
			.trim()).as("health check after the rollback").isEqualTo(healthcheck);
		swarm.awaitHealthy(REPLICAS);
		assertThat(swarm.containers("counter")).as("replicas after the rollback")
			.containsExactlyInAnyOrderElementsOf(before);
		Instant rolledBack = Instant.now();
		awaitTraffic(gets, 100);
		assertThat(hostnames(gets.since(rolledBack))).isEqualTo(hostnamesOf(before));

		gets.close();
		System.out.println("docker service update with a failing health check, rolled back, GET: " + gets.summary());
		assertThat(gets.failures()).as("failed GETs").isEmpty();
	}

	@Test
	void scalingToFiveReplicasPutsTheNewOnesInRotationWithinSeconds() {
		RequestStream gets = stream("GET");
		awaitTraffic(gets, 50);
		try {
			swarm.docker("service", "scale", "--detach=false", SwarmStack.COUNTER + "=5");
			swarm.awaitHealthy(5);
			Instant healthy = Instant.now();
			Set<String> five = hostnamesOf(swarm.containers("counter"));
			await("the gateway using all 5 replicas").atMost(Duration.ofSeconds(10))
				.until(() -> hostnames(gets.since(healthy)).equals(five));
			System.out.printf("docker service scale %s=5: 5 replicas in rotation %d ms after they were all healthy%n",
					SwarmStack.COUNTER, Duration.between(healthy, Instant.now()).toMillis());
		}
		finally {
			swarm.docker("service", "scale", "--detach=false", SwarmStack.COUNTER + "=" + REPLICAS);
		}
		swarm.awaitHealthy(REPLICAS);
		Instant scaledDown = Instant.now();
		await("traffic on the remaining replicas only").atMost(Duration.ofSeconds(30))
			.until(() -> gets.since(scaledDown).size() > 100);
		assertThat(hostnames(gets.since(scaledDown))).isEqualTo(hostnamesOf(swarm.containers("counter")));

		gets.close();
		System.out.println("docker service scale 3 -> 5 -> 3, GET: " + gets.summary());
		assertThat(gets.failures()).as("failed GETs").isEmpty();
	}

	/**
	 * Waits until consecutive visits cycle over this many replicas in a fixed order, as
	 * they do once the gateway's health checks agree on every replica.
	 */
	private static void awaitStrictRotation(int replicas) {
		await("strict rotation over %d replicas".formatted(replicas)).atMost(Duration.ofMinutes(1))
			.pollInterval(Duration.ofMillis(500))
			.ignoreExceptions()
			.until(() -> strictRotation(IntStream.range(0, 3 * replicas).mapToObj((i) -> client.visit()).toList(),
					replicas));
	}

	private static boolean strictRotation(List<Visit> visits, int replicas) {
		List<String> hostnames = visits.stream().map(Visit::hostname).toList();
		return Set.copyOf(hostnames).size() == replicas && IntStream.range(replicas, hostnames.size())
			.allMatch((i) -> hostnames.get(i).equals(hostnames.get(i - replicas)));
	}

	private RequestStream stream(String method) {
		RequestStream stream = RequestStream.of(client, method, 2);
		this.streams.add(stream);
		return stream;
	}

	private long count() {
		return client.json("GET", "/api/visits").get("visits").asLong();
	}

	private static Set<String> hostnamesOf(List<String> containers) {
		return containers.stream()
			.map((id) -> swarm.docker("inspect", "-f", "{{.Config.Hostname}}", id).trim())
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
