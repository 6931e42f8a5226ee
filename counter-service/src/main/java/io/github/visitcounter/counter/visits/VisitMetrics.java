package io.github.visitcounter.counter.visits;

import io.lettuce.core.RedisCommandExecutionException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What became of the visits this replica was asked to count, each tagged with the
 * replica: {@code visits.counted}, {@code visits.repeated} (a retried request answered
 * with the number it was already given, nothing counted) and {@code visits.refused} (503,
 * nothing counted) by reason: {@code unreachable} (no answer from Redis in time),
 * {@code late} (Redis ran the visit after its deadline) or {@code full}.
 */
final class VisitMetrics {

	private final Counter counted;

	private final Counter repeated;

	private final Counter unreachable;

	private final Counter late;

	private final Counter full;

	VisitMetrics(MeterRegistry meters, String replica) {
		this.counted = Counter.builder("visits.counted").tag("replica", replica).register(meters);
		this.repeated = Counter.builder("visits.repeated").tag("replica", replica).register(meters);
		this.unreachable = refused(meters, replica, "unreachable");
		this.late = refused(meters, replica, "late");
		this.full = refused(meters, replica, "full");
	}

	private static Counter refused(MeterRegistry meters, String replica, String reason) {
		return Counter.builder("visits.refused").tag("replica", replica).tag("reason", reason).register(meters);
	}

	void counted() {
		this.counted.increment();
	}

	void repeated() {
		this.repeated.increment();
	}

	void refused(Throwable failure) {
		if (failure instanceof VisitCounter.LateVisitException) {
			this.late.increment();
			return;
		}
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof RedisCommandExecutionException && cause.getMessage() != null
					&& cause.getMessage().startsWith("OOM ")) {
				this.full.increment();
				return;
			}
		}
		this.unreachable.increment();
	}

}
