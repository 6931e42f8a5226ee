package io.github.visitcounter.gateway.routing;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * How requests are routed to the counter.
 *
 * @param retries how many times a failed request is tried again on the next replica
 * @param maxRequestBodySize the largest request body accepted; retried routes hold bodies
 * in memory
 */
@ConfigurationProperties("gateway.routing")
record RoutingProperties(int retries, DataSize maxRequestBodySize) {

}
