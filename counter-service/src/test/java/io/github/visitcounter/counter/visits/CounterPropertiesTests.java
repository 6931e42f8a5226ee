package io.github.visitcounter.counter.visits;

import java.time.Duration;

import io.github.visitcounter.counter.visits.CounterProperties.Keys;
import io.github.visitcounter.counter.visits.CounterProperties.RequestIds;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CounterPropertiesTests {

	private static final RequestIds REQUEST_IDS = new RequestIds("X-Request-Id", Duration.ofMinutes(1));

	private static final Keys KEYS = new Keys("visits", "visits:replicas", "visits:request:");

	@Test
	void explicitHostnameIsKept() {
		assertThat(new CounterProperties("replica-a", KEYS, REQUEST_IDS).hostname()).isEqualTo("replica-a");
	}

	@Test
	void blankHostnameFallsBackToTheMachinesName() {
		assertThat(new CounterProperties("", KEYS, REQUEST_IDS).hostname()).isNotBlank();
		assertThat(new CounterProperties(null, KEYS, REQUEST_IDS).hostname()).isNotBlank();
	}

}
