package io.github.visitcounter.counter.visits;

import org.junit.jupiter.api.Test;

import io.github.visitcounter.counter.visits.CounterProperties.Keys;

import static org.assertj.core.api.Assertions.assertThat;

class CounterPropertiesTests {

	private static final Keys KEYS = new Keys("visits", "visits:replicas");

	@Test
	void explicitHostnameIsKept() {
		assertThat(new CounterProperties("replica-a", KEYS).hostname()).isEqualTo("replica-a");
	}

	@Test
	void blankHostnameFallsBackToTheMachinesName() {
		assertThat(new CounterProperties("", KEYS).hostname()).isNotBlank();
		assertThat(new CounterProperties(null, KEYS).hostname()).isNotBlank();
	}

}
