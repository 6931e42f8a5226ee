package io.github.visitcounter.counter.visits;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedisClockTests {

	private final AtomicLong local = new AtomicLong(1_000_000);

	private final RedisClock clock = new RedisClock(this.local::get);

	@Test
	void beforeAnyRoundTripRedisIsTakenToShareThisClock() {
		assertThat(this.clock.millis()).isEqualTo(1_000_000);
	}

	@Test
	void offsetIsRedisTimeAgainstTheMidpointOfTheRoundTrip() {
		// Redis 5 s behind: it read its clock at 995,010 while here it was 1,000,010
		this.clock.observe(1_000_000, 995_010, 1_000_020);
		this.local.set(1_000_100);
		assertThat(this.clock.millis()).isEqualTo(995_100);
	}

	@Test
	void slowRoundTripSaysTooLittleAndIsIgnored() {
		this.clock.observe(1_000_000, 995_010, 1_000_020);
		this.clock.observe(1_000_000, 2_000_000, 1_000_500);
		assertThat(this.clock.millis()).isEqualTo(995_000);
	}

}
