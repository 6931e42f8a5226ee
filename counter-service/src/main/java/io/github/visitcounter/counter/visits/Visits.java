package io.github.visitcounter.counter.visits;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The visit total, the replica that answered, and how the visits are spread over the
 * replicas running now, the visits of those gone summed under {@link #GONE}. Serialized
 * as the JSON of {@code /} and {@code /api/visits}.
 *
 * @param visits the total number of visits
 * @param hostname the replica that answered
 * @param replicas visits per running replica, sorted by name, then the gone ones' sum
 */
record Visits(long visits, String hostname, Map<String, Long> replicas) {

	/** The name under which the visits of replicas no longer running are summed. */
	static final String GONE = "(gone)";

	private static final Comparator<String> PARTS = Comparator.<String, Boolean>comparing(GONE::equals)
		.thenComparing(Comparator.<String>naturalOrder());

	/**
	 * The total and the spread as a script returns them.
	 * @param hostname the replica that answered
	 * @param reply the total, then name and visits for each part, in any order
	 * @return the visits, the parts sorted by name and the gone ones' last
	 */
	static Visits of(String hostname, List<?> reply) {
		Map<String, Long> replicas = new LinkedHashMap<>();
		IntStream.range(0, (reply.size() - 1) / 2)
			.mapToObj((i) -> Map.entry((String) reply.get(2 * i + 1), ((Number) reply.get(2 * i + 2)).longValue()))
			.sorted(Map.Entry.comparingByKey(PARTS))
			.forEach((part) -> replicas.put(part.getKey(), part.getValue()));
		return new Visits(((Number) reply.get(0)).longValue(), hostname, replicas);
	}

	long spreadTotal() {
		return this.replicas.values().stream().mapToLong(Long::longValue).sum();
	}

	/**
	 * The spread in whole percentages that add up to 100: each part gets its share
	 * rounded down, and the points still missing go to the parts that lost the most to
	 * rounding.
	 * @return one share per part, in the spread's order
	 */
	List<Share> shares() {
		long total = spreadTotal();
		List<Map.Entry<String, Long>> parts = List.copyOf(this.replicas.entrySet());
		int[] percents = new int[parts.size()];
		if (total > 0) {
			int missing = 100;
			for (int i = 0; i < parts.size(); i++) {
				percents[i] = (int) (parts.get(i).getValue() * 100 / total);
				missing -= percents[i];
			}
			List<Integer> byRemainder = new ArrayList<>(IntStream.range(0, parts.size()).boxed().toList());
			byRemainder.sort(Comparator.comparingLong((Integer i) -> parts.get(i).getValue() * 100 % total).reversed());
			for (int i = 0; i < missing; i++) {
				percents[byRemainder.get(i)]++;
			}
		}
		return IntStream.range(0, parts.size())
			.mapToObj((i) -> new Share(parts.get(i).getKey(), parts.get(i).getValue(), percents[i],
					parts.get(i).getKey().equals(this.hostname)))
			.toList();
	}

	/**
	 * One part of the spread, as the page shows it.
	 *
	 * @param name the replica, or {@link #GONE}
	 * @param visits its visits
	 * @param percent its share of the spread, in whole percent
	 * @param current whether it is the replica that answered
	 */
	record Share(String name, long visits, int percent, boolean current) {
	}

}
