package io.github.visitcounter.counter.visits;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import reactor.core.publisher.Mono;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * Counts visits in Redis. A visit is one Lua script, so the total and this replica's
 * share always move together, whatever the number of replicas.
 */
@Component
class VisitCounter {

	private static final RedisScript<Long> COUNT_VISIT = RedisScript
		.of(new ClassPathResource("scripts/count-visit.lua"), Long.class);

	private final ReactiveStringRedisTemplate redis;

	private final String hostname;

	private final String visitsKey;

	private final String replicasKey;

	private final String requestsKey;

	private final String requestIdTtl;

	VisitCounter(ReactiveStringRedisTemplate redis, CounterProperties properties) {
		this.redis = redis;
		this.hostname = properties.hostname();
		this.visitsKey = properties.keys().visits();
		this.replicasKey = properties.keys().replicas();
		this.requestsKey = properties.keys().requests();
		this.requestIdTtl = Long.toString(Math.max(1, properties.requestIds().ttl().toSeconds()));
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
		return this.redis
			.execute(COUNT_VISIT, List.of(this.visitsKey, this.replicasKey, this.requestsKey + requestId),
					List.of(this.hostname, requestId, this.requestIdTtl))
			.single();
	}

	/**
	 * Count one visit served by this replica, once per request id, then read the spread.
	 * @param requestId the id the gateway gave the request, or an empty string
	 * @return the new total and the spread
	 */
	Mono<Visits> countWithSpread(String requestId) {
		return withSpread(count(requestId));
	}

	/**
	 * Read the current total and spread without counting.
	 * @return the total (0 before the first visit) and the spread
	 */
	Mono<Visits> current() {
		return withSpread(this.redis.opsForValue().get(this.visitsKey).map(Long::parseLong).defaultIfEmpty(0L));
	}

	// The spread is read after the total: zipped, a failure of both reads would report
	// one and drop the other
	private Mono<Visits> withSpread(Mono<Long> total) {
		return total.flatMap((visits) -> spread().map((spread) -> new Visits(visits, this.hostname, spread)));
	}

	private Mono<Map<String, Long>> spread() {
		return this.redis.<String, String>opsForHash()
			.entries(this.replicasKey)
			.collectMap(Map.Entry::getKey, (entry) -> Long.parseLong(entry.getValue()), TreeMap::new);
	}

}
