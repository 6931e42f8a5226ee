package io.github.visitcounter.counter.system;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ClientOptions.DisconnectedBehavior;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.Delay;

import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * How the Redis client behaves when Redis is gone: it fails at once instead of queueing.
 * By default Lettuce buffers commands while reconnecting and sends them once Redis is
 * back, so a visit that was answered with a 503 would still be counted later.
 */
@Configuration(proxyBeanMethods = false)
class RedisClientConfiguration {

	// Customizes the options Boot builds (connect timeout included), not replacing them
	@Bean
	LettuceClientOptionsBuilderCustomizer failFastWhileDisconnected() {
		return (options) -> options.autoReconnect(true)
			.disconnectedBehavior(DisconnectedBehavior.REJECT_COMMANDS)
			// Cancels a command after spring.data.redis.timeout, reactive API included
			.timeoutOptions(TimeoutOptions.enabled());
	}

	// Lettuce backs off up to 30 s between reconnects by default, which would keep a
	// replica unready long after a short outage: retry at least every second instead.
	@Bean
	ClientResourcesBuilderCustomizer reconnectAtLeastEverySecond() {
		return (resources) -> resources
			.reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS));
	}

}
