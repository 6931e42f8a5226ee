package io.github.visitcounter.gateway.routing;

import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.github.visitcounter.gateway.routing.Failover.RetryBudget;

import static org.assertj.core.api.Assertions.assertThat;

class FailoverTests {

	private final AtomicLong now = new AtomicLong(1_000);

	private final RetryBudget budget = new RetryBudget(this.now::get);

	@Test
	void allowsTenRetriesASecondWhateverTheLoad() {
		IntStream.range(0, 99).forEach((i) -> this.budget.retry());
		assertThat(this.budget.spent()).isFalse();
		this.budget.retry();
		assertThat(this.budget.spent()).isTrue();
	}

	@Test
	void allowsAFifthOfTheAttemptsUnderLoad() {
		IntStream.range(0, 2000).forEach((i) -> this.budget.request());
		IntStream.range(0, 499).forEach((i) -> this.budget.retry());
		assertThat(this.budget.spent()).isFalse();
		this.budget.retry();
		assertThat(this.budget.spent()).as("500 retries of 2,500 attempts").isTrue();
	}

	@Test
	void forgetsWhatIsOlderThanTenSeconds() {
		IntStream.range(0, 100).forEach((i) -> this.budget.retry());
		assertThat(this.budget.spent()).isTrue();
		this.now.addAndGet(9);
		assertThat(this.budget.spent()).isTrue();
		this.now.addAndGet(1);
		assertThat(this.budget.spent()).isFalse();
		this.budget.retry();
		assertThat(this.budget.spent()).isFalse();
	}

}
