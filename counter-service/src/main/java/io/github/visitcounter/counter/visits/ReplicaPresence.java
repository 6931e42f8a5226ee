package io.github.visitcounter.counter.visits;

import java.time.Duration;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * This replica's presence in Redis: renewed every
 * {@code counter.presence.refresh-interval} from before the web server starts until after
 * it has stopped, and removed then. A replica that dies stops renewing it, and it
 * expires. Each renewal also folds the shares of replicas long gone into one sum, and
 * tells {@link RedisClock} what time it is in Redis.
 */
@Component
class ReplicaPresence implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ReplicaPresence.class);

	private static final RedisScript<List<Object>> RENEW = VisitCounter.script("scripts/replica-presence.lua");

	private final ReactiveStringRedisTemplate redis;

	private final RedisClock clock;

	private final String hostname;

	private final String presenceKey;

	private final List<String> keys;

	private final List<String> args;

	private final Duration interval;

	private volatile Disposable renewals;

	ReplicaPresence(ReactiveStringRedisTemplate redis, RedisClock clock, CounterProperties properties) {
		this.redis = redis;
		this.clock = clock;
		this.hostname = properties.hostname();
		this.presenceKey = properties.keys().presence();
		this.keys = List.of(this.presenceKey, properties.keys().replicas());
		CounterProperties.Presence presence = properties.presence();
		this.args = List.of(this.hostname, Long.toString(presence.lifetime().toMillis()),
				Long.toString(presence.foldAfter().toMillis()), Visits.GONE);
		this.interval = presence.refreshInterval();
	}

	@Override
	public void start() {
		this.renewals = Flux.interval(Duration.ZERO, this.interval)
			.onBackpressureDrop()
			.concatMap((tick) -> renew(), 0)
			.subscribe();
	}

	private Mono<Void> renew() {
		long sent = this.clock.localMillis();
		return this.redis.execute(RENEW, this.keys, this.args).single().doOnNext((time) -> {
			long redisMillis = Long.parseLong((String) time.get(0)) * 1000
					+ Long.parseLong((String) time.get(1)) / 1000;
			this.clock.observe(sent, redisMillis, this.clock.localMillis());
		}).then().onErrorResume((ex) -> {
			// Redis unreachable: the visits say so, and the next renewal tries again
			logger.debug("Presence not renewed: " + ex);
			return Mono.empty();
		});
	}

	@Override
	public void stop() {
		Disposable renewals = this.renewals;
		if (renewals != null) {
			renewals.dispose();
		}
		this.redis.opsForZSet()
			.remove(this.presenceKey, this.hostname)
			.timeout(Duration.ofSeconds(2))
			.doOnError((ex) -> logger.debug("Presence not removed; it expires: " + ex))
			.onErrorComplete()
			.block();
	}

	@Override
	public boolean isRunning() {
		Disposable renewals = this.renewals;
		return renewals != null && !renewals.isDisposed();
	}

	@Override
	public int getPhase() {
		// Starts before the web server and stops after it, with the Redis client still
		// open (phase 0)
		return WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE - 2048;
	}

}
