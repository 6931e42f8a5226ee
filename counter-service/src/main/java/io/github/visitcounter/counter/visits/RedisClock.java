package io.github.visitcounter.counter.visits;

import java.time.Duration;
import java.util.function.LongSupplier;

import org.springframework.stereotype.Component;

/**
 * Redis's clock as this replica reckons it: its own, corrected by the offset measured at
 * each presence refresh (Redis's time against the midpoint of the round trip). A visit's
 * deadline is compared with {@code TIME} inside Redis, so it must be on Redis's clock,
 * whatever this machine's clock says.
 */
@Component
class RedisClock {

	// A slower round trip says too little about when Redis read its clock
	private static final long MAX_ROUND_TRIP = Duration.ofMillis(200).toMillis();

	private final LongSupplier localMillis;

	private volatile long offset;

	RedisClock() {
		this(System::currentTimeMillis);
	}

	RedisClock(LongSupplier localMillis) {
		this.localMillis = localMillis;
	}

	/**
	 * Now, on Redis's clock.
	 * @return milliseconds since the epoch
	 */
	long millis() {
		return this.localMillis.getAsLong() + this.offset;
	}

	/**
	 * This replica's clock, for timing a round trip to Redis.
	 * @return milliseconds since the epoch
	 */
	long localMillis() {
		return this.localMillis.getAsLong();
	}

	/**
	 * Learn the offset from one round trip.
	 * @param sent when the request left, on this replica's clock
	 * @param redisMillis Redis's {@code TIME} while it ran the request
	 * @param received when the reply arrived, on this replica's clock
	 */
	void observe(long sent, long redisMillis, long received) {
		if (received - sent <= MAX_ROUND_TRIP) {
			this.offset = redisMillis - (sent + received) / 2;
		}
	}

}
