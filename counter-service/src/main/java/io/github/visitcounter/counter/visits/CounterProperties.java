package io.github.visitcounter.counter.visits;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What this replica calls itself and where the visits live in Redis.
 *
 * @param hostname the name shown for this replica; blank means the container's hostname
 * @param keys the Redis keys
 */
@ConfigurationProperties("counter")
record CounterProperties(String hostname, Keys keys) {

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
	 */
	record Keys(String visits, String replicas) {
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
