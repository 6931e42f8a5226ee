package io.github.visitcounter.stack;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A visit is counted only if its answer carried the number: with a steady mix of pages,
 * text and JSON posts through the published port, Redis is paused, stopped, or the
 * replicas are replaced, and afterwards the count in Redis rose by exactly the number of
 * answers that carried a visit number. The spread names the replicas running now and adds
 * up to the total.
 */
@SystemTest
class AccountingIT {

	/** The visits of replicas that are gone, as the counter names their sum. */
	static final String GONE = "(gone)";

	private static final int CLIENTS = 16;

	private static final Duration FAULT = Duration.ofSeconds(5);

	private static final Pattern PAGE_SHARE = Pattern
		.compile("<span class=\"name\">([^<]+)</span>.*?<span class=\"count\">(\\d+) · (\\d+)%</span>", Pattern.DOTALL);

	private final ComposeStack stack;

	private final GatewayClient client;

	private long countBefore;

	private final List<MixedLoad> loads = new ArrayList<>();

	/** Visits a test makes itself besides its loads, each answered with its number. */
	private final List<Visit> ownVisits = new ArrayList<>();

	AccountingIT(ComposeStack stack, GatewayClient client) {
		this.stack = stack;
		this.client = client;
	}

	@BeforeEach
	void countBefore() {
		this.countBefore = count();
	}

	@AfterEach
	void visitsCountedAreTheVisitsAnswered() {
		this.loads.forEach(MixedLoad::close);
		if (this.loads.isEmpty()) {
			return;
		}
		List<Visit> answered = Stream
			.concat(this.loads.stream().flatMap((load) -> load.visits().stream()), this.ownVisits.stream())
			.toList();
		long undecided = this.loads.stream().mapToLong((load) -> load.undecided().size()).sum();
		long counted = count() - this.countBefore;
		System.out.printf("Accounting: %d visits counted in Redis, %d answered with a visit number"
				+ " (%d requests whose outcome the client cannot know)%n", counted, answered.size(), undecided);
		assertThat(answered).extracting(Visit::number).doesNotHaveDuplicates();
		assertThat(counted).as("visits counted").isBetween((long) answered.size(), answered.size() + undecided);
	}

	@Test
	void pausedRedisCountsOnlyTheVisitsAnswered() {
		MixedLoad load = load();
		String redis = this.stack.containers("redis").get(0);
		awaitAnswers(load, 300);

		this.stack.pause(redis);
		Instant paused = Instant.now();
		try {
			holdFault(load, paused);
		}
		finally {
			this.stack.docker("unpause", redis);
		}
		awaitEveryReplicaAnswering(load);

		load.close();
		System.out.println("Redis paused 5 s under mixed load: " + load.summary());
		assertThat(load.since(paused)).as("answers while Redis was paused")
			.anySatisfy((outcome) -> assertThat(outcome.status()).isEqualTo(503));
	}

	@Test
	void stoppedRedisCountsOnlyTheVisitsAnswered() {
		MixedLoad load = load();
		String redis = this.stack.containers("redis").get(0);
		awaitAnswers(load, 300);

		this.stack.docker("stop", redis);
		Instant stopped = Instant.now();
		try {
			holdFault(load, stopped);
		}
		finally {
			this.stack.docker("start", redis);
		}
		await("redis healthy").atMost(Duration.ofMinutes(1))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> "healthy".equals(this.stack.health(redis)));
		awaitEveryReplicaAnswering(load);

		load.close();
		System.out.println("Redis stopped 5 s under mixed load: " + load.summary());
		assertThat(load.since(stopped)).as("answers while Redis was stopped")
			.anySatisfy((outcome) -> assertThat(outcome.status()).isEqualTo(503));
	}

	@Test
	void recreatedReplicasAreTheOnlyOnesListedAndTheSpreadAddsUp() {
		Set<String> before = runningHostnames();
		MixedLoad load = load();
		awaitAnswers(load, 300);

		this.stack.compose("up", "-d", "--no-build", "--no-deps", "--force-recreate", "--scale", "counter=3",
				"counter");
		this.stack.awaitHealthy(3);
		Set<String> running = runningHostnames();
		assertThat(running).hasSize(3).doesNotContainAnyElementsOf(before);
		Instant recreated = Instant.now();
		await("the spread listing exactly the running replicas").atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(500))
			.ignoreExceptions()
			.untilAsserted(() -> {
				JsonNode visits = this.client.json("GET", "/api/visits");
				Map<String, Long> spread = spread(visits);
				assertThat(spread.keySet()).containsExactlyInAnyOrderElementsOf(union(running, Set.of(GONE)));
				assertThat(spread.values().stream().mapToLong(Long::longValue).sum()).as("spread of %s", spread)
					.isEqualTo(visits.get("visits").asLong());
			});
		System.out.printf(
				"Replicas recreated: the spread listed exactly the 3 running ones %d ms after all were"
						+ " healthy: %s%n",
				Duration.between(recreated, Instant.now()).toMillis(), spread(this.client.json("GET", "/api/visits")));
		awaitEveryReplicaAnswering(load);

		String page = this.client.get("/", "text/html").body();
		// A visit too, answered: the accounting counts it with the load's
		this.ownVisits.add(Visit.fromPage(page));
		Map<String, Integer> percentages = new TreeMap<>();
		Matcher share = PAGE_SHARE.matcher(page);
		while (share.find()) {
			percentages.put(share.group(1), Integer.parseInt(share.group(3)));
		}
		System.out.println("The page's spread, in percent: " + percentages);
		assertThat(percentages.keySet()).containsExactlyInAnyOrderElementsOf(union(running, Set.of(GONE)));
		assertThat(percentages.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(100);

		load.close();
		System.out.println("Replicas recreated under mixed load: " + load.summary());
	}

	/**
	 * Keeps the fault for five seconds, and at least until the load has met it: on a busy
	 * machine a request can take a while to notice.
	 */
	private void holdFault(MixedLoad load, Instant since) {
		await("%s of fault, met by the load".formatted(FAULT)).atMost(FAULT.multipliedBy(4))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> Duration.between(since, Instant.now()).compareTo(FAULT) >= 0
					&& load.since(since).stream().anyMatch((outcome) -> outcome.visit() == null));
	}

	private void awaitEveryReplicaAnswering(MixedLoad load) {
		Instant since = Instant.now();
		await("every replica answering again").atMost(Duration.ofMinutes(1))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> load.since(since)
				.stream()
				.filter((outcome) -> outcome.visit() != null)
				.map((outcome) -> outcome.visit().hostname())
				.collect(Collectors.toSet())
				.size() == 3);
		awaitAnswers(load, 300);
	}

	private static void awaitAnswers(MixedLoad load, int answers) {
		int before = load.visits().size();
		await("%d more answers".formatted(answers)).atMost(Duration.ofMinutes(1))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> load.visits().size() >= before + answers);
	}

	private MixedLoad load() {
		MixedLoad load = MixedLoad.start(this.stack, CLIENTS);
		this.loads.add(load);
		return load;
	}

	private long count() {
		return await("the count").atMost(Duration.ofMinutes(1))
			.pollInterval(Duration.ofMillis(200))
			.ignoreExceptions()
			.until(() -> this.client.json("GET", "/api/visits").get("visits").asLong(), (count) -> count >= 0);
	}

	private Set<String> runningHostnames() {
		return this.stack.containers("counter")
			.stream()
			.map((container) -> this.stack.docker("inspect", "-f", "{{.Config.Hostname}}", container).trim())
			.collect(Collectors.toSet());
	}

	private static Map<String, Long> spread(JsonNode visits) {
		Map<String, Long> spread = new TreeMap<>();
		visits.get("replicas").properties().forEach((entry) -> spread.put(entry.getKey(), entry.getValue().asLong()));
		return spread;
	}

	private static Set<String> union(Set<String> first, Set<String> second) {
		Set<String> union = new HashSet<>(first);
		union.addAll(second);
		return union;
	}

}
