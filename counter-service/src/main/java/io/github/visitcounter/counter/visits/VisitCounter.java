package io.github.visitcounter.counter.visits;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.lettuce.core.RedisCommandTimeoutException;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.core.io.ClassPathResource;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * Counts visits in Redis. A visit is one Lua script, so the total and this replica's
 * share always move together, whatever the number of replicas, and the spread comes back
 * with them. The script is given a deadline: Redis counts nothing when it runs the script
 * later than the counter still waits for the answer, so a client told 503 never has a
 * visit counted.
 */
@Component
class VisitCounter {

	private static final RedisScript<List<Object>> COUNT_VISIT = script("scripts/count-visit.lua");

	private static final RedisScript<List<Object>> READ_VISITS = script("scripts/read-visits.lua");

	// Short: a paused Redis answers neither call, and the client waits for both
	private static final Duration RECHECK_TIMEOUT = Duration.ofMillis(250);

	private final ReactiveStringRedisTemplate redis;

	private final RedisClock clock;

	private final String hostname;

	private final long deadline;

	private final List<String> readKeys;

	private final String requestsKey;

	private final String requestIdTtl;

	private final VisitMetrics metrics;

	VisitCounter(ReactiveStringRedisTemplate redis, RedisClock clock, CounterProperties properties,
			DataRedisProperties redisProperties, MeterRegistry meters) {
		Duration timeout = redisProperties.getTimeout();
		if (timeout != null && properties.deadline().compareTo(timeout) >= 0) {
			throw new IllegalStateException("counter.deadline (%s) must be shorter than spring.data.redis.timeout (%s),"
					+ " or a visit could be counted after its client was told 503".formatted(properties.deadline(),
							timeout));
		}
		this.redis = redis;
		this.clock = clock;
		this.hostname = properties.hostname();
		this.deadline = properties.deadline().toMillis();
		CounterProperties.Keys keys = properties.keys();
		this.readKeys = List.of(keys.visits(), keys.replicas(), keys.presence());
		this.requestsKey = keys.requests();
		this.requestIdTtl = Long.toString(Math.max(1, properties.requestIds().ttl().toSeconds()));
		this.metrics = new VisitMetrics(meters, this.hostname);
	}

	String hostname() {
		return this.hostname;
	}

	/**
	 * Count one visit served by this replica, once per request id.
	 * @param requestId the id the gateway gave the request, or an empty string
	 * @return the new total, or the number already given to that request id
	 */
	Mono<Long> count(String requestId) {
		return count(requestId, "").map(Visits::visits);
	}

	/**
	 * Count one visit served by this replica, once per request id, and read the spread in
	 * the same step.
	 * @param requestId the id the gateway gave the request, or an empty string
	 * @return the new total, or the number already given to that request id, and the
	 * spread
	 */
	Mono<Visits> countWithSpread(String requestId) {
		return count(requestId, "spread");
	}

	/**
	 * Read the current total and spread without counting.
	 * @return the total (0 before the first visit) and the spread
	 */
	Mono<Visits> current() {
		return this.redis.execute(READ_VISITS, this.readKeys, List.of(this.hostname, Visits.GONE))
			.single()
			.map((reply) -> Visits.of(this.hostname, reply));
	}

	private Mono<Visits> count(String requestId, String spread) {
		List<String> keys = List.of(this.readKeys.get(0), this.readKeys.get(1), this.readKeys.get(2),
				this.requestsKey + requestId);
		String deadline = Long.toString(this.clock.millis() + this.deadline);
		Mono<List<Object>> call = this.redis
			.execute(COUNT_VISIT, keys,
					List.of(this.hostname, requestId, this.requestIdTtl, deadline, spread, Visits.GONE))
			.single();
		if (requestId.isEmpty()) {
			return call.flatMap((reply) -> visits(reply, false)).doOnError(this.metrics::refused);
		}
		// No reply within the timeout: Redis may still have counted the visit in time,
		// the reply held up on its way (this JVM stalled, say). The same call again, on
		// the same connection so after the first, is past the deadline and only returns
		// the number already given, if any: then the first call counted it. Lettuce has
		// no such retry of its own.
		return call.flatMap((reply) -> visits(reply, false))
			.onErrorResume(VisitCounter::isTimeout,
					(timeout) -> call.timeout(RECHECK_TIMEOUT)
						.onErrorMap((ex) -> timeout)
						.flatMap((reply) -> visits(reply, true)))
			.doOnError(this.metrics::refused);
	}

	private Mono<Visits> visits(List<Object> reply, boolean recheck) {
		if (reply.isEmpty()) {
			return Mono.error(new LateVisitException());
		}
		long total = ((Number) reply.get(0)).longValue();
		if (total >= 0) {
			this.metrics.counted();
			return Mono.just(Visits.of(this.hostname, reply));
		}
		// The number this request id was given already, by another call
		if (recheck) {
			this.metrics.counted();
		}
		else {
			this.metrics.repeated();
		}
		List<Object> given = new ArrayList<>(reply);
		given.set(0, -total);
		return Mono.just(Visits.of(this.hostname, given));
	}

	private static boolean isTimeout(Throwable ex) {
		return ex instanceof QueryTimeoutException && ex.getCause() instanceof RedisCommandTimeoutException;
	}

	@SuppressWarnings({ "rawtypes", "unchecked" })
	static RedisScript<List<Object>> script(String location) {
		return RedisScript.of(new ClassPathResource(location), (Class) List.class);
	}

	/**
	 * Redis ran the visit after its deadline and counted nothing.
	 */
	static final class LateVisitException extends QueryTimeoutException {

		LateVisitException() {
			super("Redis ran the visit after its deadline; nothing was counted");
		}

	}

}
