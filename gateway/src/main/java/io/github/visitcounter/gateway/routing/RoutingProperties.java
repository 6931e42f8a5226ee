package io.github.visitcounter.gateway.routing;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How requests are routed to the counter replicas.
 *
 * @param retries how many times a failed request is tried again on another replica (at
 * least 1: Spring Cloud Gateway's retry filter refuses 0)
 * @param readTimeout how long one try of a read (GET, HEAD) may wait for a replica's
 * answer before it is tried on another replica
 * @param writeTimeout how long a write (POST) may wait for a replica's answer; never
 * retried once sent
 */
@ConfigurationProperties("gateway.routing")
record RoutingProperties(int retries, Duration readTimeout, Duration writeTimeout) {

	RoutingProperties {
		if (retries < 1) {
			throw new IllegalArgumentException("gateway.routing.retries must be at least 1, was " + retries);
		}
	}

}
