package io.github.visitcounter.counter.visits;

import java.time.Duration;

import io.github.visitcounter.counter.visits.CounterProperties.Keys;
import io.github.visitcounter.counter.visits.CounterProperties.Presence;
import io.github.visitcounter.counter.visits.CounterProperties.RequestIds;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CounterPropertiesTests {

	private static final Duration DEADLINE = Duration.ofMillis(800);

	private static final RequestIds REQUEST_IDS = new RequestIds("X-Request-Id", Duration.ofMinutes(1));

	private static final Keys KEYS = new Keys("visits", "visits:replicas", "visits:presence", "visits:request:");

	private static final Presence PRESENCE = new Presence(Duration.ofSeconds(2), Duration.ofSeconds(6),
			Duration.ofMinutes(1));

	@Test
	void explicitHostnameIsKept() {
		assertThat(properties("replica-a").hostname()).isEqualTo("replica-a");
	}

	@Test
	void blankHostnameFallsBackToTheMachinesName() {
		assertThat(properties("").hostname()).isEqualTo(LocalHostname.get()).isNotBlank().isNotEqualTo("unknown");
		assertThat(properties(null).hostname()).isEqualTo(LocalHostname.get());
	}

	@Test
	void theNameOfTheGoneReplicasSumIsNoHostname() {
		assertThatIllegalArgumentException().isThrownBy(() -> properties(Visits.GONE));
	}

	private static CounterProperties properties(String hostname) {
		return new CounterProperties(hostname, DEADLINE, KEYS, REQUEST_IDS, PRESENCE);
	}

}
