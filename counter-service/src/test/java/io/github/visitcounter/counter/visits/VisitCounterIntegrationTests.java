package io.github.visitcounter.counter.visits;

import java.time.Duration;
import java.util.Map;

import io.github.visitcounter.counter.visits.CounterProperties.Keys;
import io.github.visitcounter.counter.visits.CounterProperties.Presence;
import io.github.visitcounter.counter.visits.CounterProperties.RequestIds;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.data.redis.test.autoconfigure.DataRedisTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The visit script against a real Redis: its deadline, the retried request id, the spread
 * of the replicas running now, and Redis full.
 */
@DataRedisTest
@Testcontainers
class VisitCounterIntegrationTests {

	@Container
	@ServiceConnection(name = "redis")
	static final GenericContainer<?> redis = new GenericContainer<>(DockerImageName.parse("redis:8.2"))
		.withExposedPorts(6379);

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@Autowired
	private ReactiveStringRedisTemplate template;

	@Autowired
	private DataRedisProperties redisProperties;

	private final RedisClock clock = new RedisClock();

	private final MeterRegistry meters = new SimpleMeterRegistry();

	@BeforeEach
	void emptyRedis() {
		this.template.execute((connection) -> connection.serverCommands().flushAll()).blockLast(TIMEOUT);
	}

	@Test
	void visitCountsTheTotalAndThisReplicasShare() {
		VisitCounter counter = counter("replica-a", this.clock);
		assertThat(counter.count("").block(TIMEOUT)).isEqualTo(1);
		assertThat(counter.countWithSpread("").block(TIMEOUT))
			.isEqualTo(new Visits(2, "replica-a", Map.of("replica-a", 2L)));
	}

	@Test
	void visitRunLaterThanItsDeadlineCountsNothing() {
		// Ten seconds behind Redis and no presence renewal yet to learn it: every
		// deadline this counter sets has passed when Redis runs the script
		VisitCounter late = counter("replica-a", new RedisClock(() -> System.currentTimeMillis() - 10_000));
		assertThatExceptionOfType(QueryTimeoutException.class).isThrownBy(() -> late.count("late-id").block(TIMEOUT));
		assertThatExceptionOfType(QueryTimeoutException.class)
			.isThrownBy(() -> late.countWithSpread("").block(TIMEOUT));
		assertThat(get("visits")).isNull();
		assertThat(this.template.opsForHash().entries("visits:replicas").collectList().block(TIMEOUT)).isEmpty();
		assertThat(get("visits:request:late-id")).isNull();
	}

	@Test
	void retriedRequestGetsTheNumberItWasGivenEvenAfterItsDeadline() {
		long first = counter("replica-a", this.clock).count("retried-id").block(TIMEOUT);
		VisitCounter late = counter("replica-b", new RedisClock(() -> System.currentTimeMillis() - 10_000));
		assertThat(late.count("retried-id").block(TIMEOUT)).isEqualTo(first);
		assertThat(get("visits")).isEqualTo(Long.toString(first));
	}

	@Test
	void countsWhatBecameOfEachVisitByReplica() {
		counter("replica-a", this.clock).count("counted-id").block(TIMEOUT);
		counter("replica-b", this.clock).count("counted-id").block(TIMEOUT);
		VisitCounter late = counter("replica-a", new RedisClock(() -> System.currentTimeMillis() - 10_000));
		assertThatExceptionOfType(QueryTimeoutException.class).isThrownBy(() -> late.count("").block(TIMEOUT));
		assertThat(count("visits.counted", "replica", "replica-a")).isOne();
		assertThat(count("visits.counted", "replica", "replica-b")).isZero();
		assertThat(count("visits.repeated", "replica", "replica-b")).as("the retry, answered with the number given")
			.isOne();
		assertThat(
				this.meters.get("visits.refused").tag("replica", "replica-a").tag("reason", "late").counter().count())
			.isOne();
	}

	@Test
	void deadlineIsOnRedisClockOnceTheOffsetIsKnown() {
		RedisClock behind = new RedisClock(() -> System.currentTimeMillis() - 10_000);
		ReplicaPresence presence = new ReplicaPresence(this.template, behind, properties("replica-a"));
		presence.start();
		try {
			VisitCounter counter = counter("replica-a", behind);
			await().atMost(Duration.ofSeconds(10))
				.ignoreExceptionsInstanceOf(QueryTimeoutException.class)
				.untilAsserted(() -> counter.count("").block(TIMEOUT));
			assertThat(get("visits")).isEqualTo("1");
		}
		finally {
			presence.stop();
		}
	}

	@Test
	void spreadListsTheRunningReplicasAndSumsTheGoneOnes() {
		long future = System.currentTimeMillis() + 60_000;
		long past = System.currentTimeMillis() - 1_000;
		this.template.opsForValue().set("visits", "9").block(TIMEOUT);
		this.template.opsForHash()
			.putAll("visits:replicas", Map.of("replica-a", "2", "replica-old", "3", Visits.GONE, "4"))
			.block(TIMEOUT);
		this.template.opsForZSet().add("visits:presence", "replica-a", future).block(TIMEOUT);
		this.template.opsForZSet().add("visits:presence", "replica-old", past).block(TIMEOUT);
		this.template.opsForZSet().add("visits:presence", "replica-idle", future).block(TIMEOUT);

		Visits visits = counter("replica-test", this.clock).countWithSpread("").block(TIMEOUT);
		assertThat(visits.visits()).isEqualTo(10);
		assertThat(visits.replicas()).containsExactly(Map.entry("replica-a", 2L), Map.entry("replica-idle", 0L),
				Map.entry("replica-test", 1L), Map.entry(Visits.GONE, 7L));
		assertThat(visits.spreadTotal()).isEqualTo(visits.visits());
		assertThat(counter("replica-test", this.clock).current().block(TIMEOUT)).isEqualTo(visits);
	}

	@Test
	void readingCountsNothing() {
		VisitCounter counter = counter("replica-a", this.clock);
		assertThat(counter.current().block(TIMEOUT)).isEqualTo(new Visits(0, "replica-a", Map.of("replica-a", 0L)));
		assertThat(get("visits")).isNull();
	}

	@Test
	void fullRedisRefusesTheVisitWholeAndKeepsTheCount() {
		VisitCounter counter = counter("replica-a", this.clock);
		counter.count("").block(TIMEOUT);
		config("maxmemory-policy", "noeviction");
		config("maxmemory", "1");
		try {
			assertThatExceptionOfType(RedisSystemException.class).isThrownBy(() -> counter.count("full").block(TIMEOUT))
				.withStackTraceContaining("OOM command not allowed");
			assertThat(counter.current().block(TIMEOUT).visits()).isEqualTo(1);
		}
		finally {
			config("maxmemory", "0");
		}
		assertThat(get("visits:request:full")).isNull();
		assertThat(counter.countWithSpread("full").block(TIMEOUT))
			.isEqualTo(new Visits(2, "replica-a", Map.of("replica-a", 2L)));
	}

	private double count(String name, String tag, String value) {
		return this.meters.get(name).tag(tag, value).counter().count();
	}

	private void config(String parameter, String value) {
		this.template.execute((connection) -> connection.serverCommands().setConfig(parameter, value))
			.blockLast(TIMEOUT);
	}

	private String get(String key) {
		return this.template.opsForValue().get(key).block(TIMEOUT);
	}

	private VisitCounter counter(String hostname, RedisClock clock) {
		return new VisitCounter(this.template, clock, properties(hostname), this.redisProperties, this.meters);
	}

	private static CounterProperties properties(String hostname) {
		return new CounterProperties(hostname, Duration.ofMillis(800),
				new Keys("visits", "visits:replicas", "visits:presence", "visits:request:"),
				new RequestIds("X-Request-Id", Duration.ofMinutes(1)),
				new Presence(Duration.ofMillis(100), Duration.ofSeconds(6), Duration.ofMinutes(1)));
	}

}
