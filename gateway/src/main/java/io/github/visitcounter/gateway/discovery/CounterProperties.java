package io.github.visitcounter.gateway.discovery;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the counter replicas are: one host name that resolves to every replica's address.
 *
 * @param host the name to resolve ({@code counter} under Compose, {@code tasks.counter}
 * under Swarm)
 * @param port the port every replica serves requests on
 * @param scheme {@code http} or {@code https}
 * @param refreshInterval how often the name is resolved again
 */
@ConfigurationProperties("gateway.counter")
record CounterProperties(String host, int port, String scheme, Duration refreshInterval) {

	boolean secure() {
		return "https".equalsIgnoreCase(this.scheme);
	}

}
