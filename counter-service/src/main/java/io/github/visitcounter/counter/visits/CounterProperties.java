package io.github.visitcounter.counter.visits;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What this replica calls itself and where the visits live in Redis.
 *
 * @param hostname the name shown for this replica; blank means the container's hostname
 * @param keys the Redis keys
 * @param requestIds how a retried request is recognised
 */
@ConfigurationProperties("counter")
record CounterProperties(String hostname, Keys keys, RequestIds requestIds) {

	CounterProperties {
		if (hostname == null || hostname.isBlank()) {
			hostname = localHostname();
		}
	}

	/**
	 * The Redis keys the replicas share.
	 *
	 * @param visits the string holding the total
	 * @param replicas the hash holding each replica's share
	 * @param requests the prefix of the strings remembering the number given to a request
	 * id
	 */
	record Keys(String visits, String replicas, String requests) {
	}

	/**
	 * The gateway gives each request an id and keeps it when it retries the request on
	 * another replica; a visit already counted for that id is not counted again.
	 *
	 * @param header the request header carrying the id
	 * @param ttl how long the number given to an id is remembered
	 */
	record RequestIds(String header, Duration ttl) {
	}

	private static String localHostname() {
		String fromEnvironment = System.getenv("HOSTNAME");
		if (fromEnvironment != null && !fromEnvironment.isBlank()) {
			return fromEnvironment;
		}
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		// Thrown, for instance, when a hosts file lacks the machine's own name
		catch (UnknownHostException | RuntimeException ex) {
			return "unknown";
		}
	}

}
