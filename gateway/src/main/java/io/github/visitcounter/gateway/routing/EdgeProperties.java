package io.github.visitcounter.gateway.routing;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * What the public port holds for one client at most.
 *
 * @param maxConnections open connections beyond which a new one is answered 503 and
 * closed
 * @param requestHeadTimeout time from a request's first byte to the end of its headers
 * @param requestBodyTimeout time to receive a request's whole body
 * @param maxRequestBodySize the largest request body accepted (413 beyond)
 */
@ConfigurationProperties("gateway.edge")
record EdgeProperties(int maxConnections, Duration requestHeadTimeout, Duration requestBodyTimeout,
		DataSize maxRequestBodySize) {

}
