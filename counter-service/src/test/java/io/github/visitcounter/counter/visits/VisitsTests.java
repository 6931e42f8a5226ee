package io.github.visitcounter.counter.visits;

import java.util.List;
import java.util.Map;

import io.github.visitcounter.counter.visits.Visits.Share;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class VisitsTests {

	@Test
	void scriptReplyIsSortedByNameWithTheGoneReplicasLast() {
		Visits visits = Visits.of("b", List.of(10L, Visits.GONE, 4L, "b", 3L, "a", 3L));
		assertThat(visits.visits()).isEqualTo(10);
		assertThat(visits.replicas()).containsExactly(Map.entry("a", 3L), Map.entry("b", 3L),
				Map.entry(Visits.GONE, 4L));
	}

	@Test
	void percentagesAddUpTo100() {
		Visits thirds = Visits.of("b", List.of(3L, "a", 1L, "b", 1L, "c", 1L));
		assertThat(thirds.shares()).extracting(Share::percent).containsExactly(34, 33, 33);
		Visits uneven = Visits.of("a", List.of(7L, "a", 1L, "b", 1L, "c", 5L));
		// 14.28, 14.28 and 71.42: rounded down they lose 0.28, 0.28 and 0.42
		assertThat(uneven.shares()).extracting(Share::percent).containsExactly(14, 14, 72);
		Visits many = Visits.of("r0",
				List.of(7L, "r0", 1L, "r1", 1L, "r2", 1L, "r3", 1L, "r4", 1L, "r5", 1L, "r6", 1L));
		assertThat(many.shares()).extracting(Share::percent).containsExactly(15, 15, 14, 14, 14, 14, 14);
	}

	@Test
	void sharesMarkTheReplicaThatAnswered() {
		Visits visits = Visits.of("b", List.of(2L, "a", 1L, "b", 1L));
		assertThat(visits.shares()).containsExactly(new Share("a", 1, 50, false), new Share("b", 1, 50, true));
	}

	@Test
	void noVisitsYetIsNoPercentage() {
		assertThat(Visits.of("a", List.of(0L, "a", 0L)).shares()).containsExactly(new Share("a", 0, 0, true));
	}

}
