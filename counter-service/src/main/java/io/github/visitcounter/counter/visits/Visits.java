package io.github.visitcounter.counter.visits;

import java.util.Map;

/**
 * The visit total, the replica that answered, and how the visits are spread over the
 * replicas. Serialized as the JSON of {@code /} and {@code /api/visits}.
 *
 * @param visits the total number of visits
 * @param hostname the replica that answered
 * @param replicas visits per replica, sorted by name
 */
record Visits(long visits, String hostname, Map<String, Long> replicas) {

	long spreadTotal() {
		return this.replicas.values().stream().mapToLong(Long::longValue).sum();
	}

}
