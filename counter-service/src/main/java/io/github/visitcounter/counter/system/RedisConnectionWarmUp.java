package io.github.visitcounter.counter.system;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.stereotype.Component;

/**
 * Opens the connection to Redis on another thread while the web servers start, so that
 * the first readiness check, which needs Redis, does not also wait for a cold client to
 * connect (a quarter of a second of the replica's start-up). Nothing waits for it: when
 * Redis is not there, the readiness check says so.
 */
@Component
class RedisConnectionWarmUp implements SmartInitializingSingleton, DisposableBean {

	private static final Log logger = LogFactory.getLog(RedisConnectionWarmUp.class);

	private final ReactiveRedisConnectionFactory connectionFactory;

	private volatile Disposable warmUp;

	RedisConnectionWarmUp(ReactiveRedisConnectionFactory connectionFactory) {
		this.connectionFactory = connectionFactory;
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.warmUp = Mono
			.usingWhen(Mono.fromSupplier(this.connectionFactory::getReactiveConnection),
					(connection) -> connection.ping(), ReactiveRedisConnection::closeLater)
			.subscribeOn(Schedulers.boundedElastic())
			.onErrorResume((ex) -> {
				logger.debug("Redis not reachable at start-up: " + ex);
				return Mono.empty();
			})
			.subscribe();
	}

	@Override
	public void destroy() {
		Disposable warmUp = this.warmUp;
		if (warmUp != null) {
			warmUp.dispose();
		}
	}

}
