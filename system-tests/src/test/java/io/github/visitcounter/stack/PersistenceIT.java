package io.github.visitcounter.stack;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The count lives in Redis's append-only file on a named volume: it outlives Redis and
 * the whole stack.
 */
@SystemTest
class PersistenceIT {

	private final ComposeStack stack;

	private final GatewayClient client;

	PersistenceIT(ComposeStack stack, GatewayClient client) {
		this.stack = stack;
		this.client = client;
	}

	@Test
	void countContinuesAfterRedisRestarts() {
		long before = this.client.visit().number();
		this.stack.compose("restart", "redis");
		this.stack.awaitHealthy(3);
		assertThat(firstVisitAnswered().number()).isEqualTo(before + 1);
	}

	@Test
	void countContinuesAfterTheStackIsTakenDownAndUpKeepingTheVolume() {
		long before = this.client.visit().number();
		this.stack.compose("down", "--timeout", "20");
		this.stack.compose("up", "-d", "--no-build", "--scale", "counter=3");
		this.stack.awaitHealthy(3);
		assertThat(firstVisitAnswered().number()).isEqualTo(before + 1);
	}

	/**
	 * Every answer without a visit number (503 while things come back) counted nothing.
	 */
	private Visit firstVisitAnswered() {
		return await("a visit answered").atMost(Duration.ofMinutes(1))
			.pollInterval(Duration.ofMillis(200))
			.ignoreExceptions()
			.until(this.client::visit, (visit) -> visit != null);
	}

}
