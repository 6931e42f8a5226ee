package io.github.visitcounter.counter.visits;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What this replica calls itself, how long a visit may take to reach Redis, and where the
 * visits live there.
 *
 * @param hostname the name shown for this replica; blank means the kernel's name for the
 * machine (in a container, its hostname)
 * @param deadline how long after the counter sends a visit Redis may still count it
 * @param keys the Redis keys
 * @param requestIds how a retried request is recognised
 * @param presence how the replicas running now are known
 */
@ConfigurationProperties("counter")
record CounterProperties(String hostname, Duration deadline, Keys keys, RequestIds requestIds, Presence presence) {

	CounterProperties {
		if (hostname == null || hostname.isBlank()) {
			hostname = LocalHostname.get();
		}
		if (hostname.equals(Visits.GONE)) {
			throw new IllegalArgumentException(
					"counter.hostname must not be '%s', the name of the gone replicas' sum".formatted(Visits.GONE));
		}
	}

	/**
	 * The Redis keys the replicas share.
	 *
	 * @param visits the string holding the total
	 * @param replicas the hash holding each replica's share
	 * @param presence the sorted set of the replicas running, each scored with the time
	 * its presence expires
	 * @param requests the prefix of the strings remembering the number given to a request
	 * id
	 */
	record Keys(String visits, String replicas, String presence, String requests) {
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

	/**
	 * Each replica keeps a presence in Redis while it runs, so the spread lists the
	 * replicas running now.
	 *
	 * @param refreshInterval how often a replica renews its presence
	 * @param lifetime how long a presence lasts unless renewed
	 * @param foldAfter how long a replica has been gone before its share is folded into
	 * the gone replicas' sum
	 */
	record Presence(Duration refreshInterval, Duration lifetime, Duration foldAfter) {
	}

}
