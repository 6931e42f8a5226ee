package io.github.visitcounter.counter.system;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How this replica leaves a load balancer's rotation when it stops.
 *
 * @param drainDelay how long to keep serving after readiness turns to refusing traffic
 */
@ConfigurationProperties("counter.shutdown")
record ShutdownProperties(Duration drainDelay) {

}
