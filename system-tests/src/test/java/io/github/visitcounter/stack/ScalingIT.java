package io.github.visitcounter.stack;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code docker compose up --scale counter=N} on a running stack, while requests flow.
 */
@SystemTest
class ScalingIT {

	private final ComposeStack stack;

	private final GatewayClient client;

	ScalingIT(ComposeStack stack, GatewayClient client) {
		this.stack = stack;
		this.client = client;
	}

	@Test
	void scalingUpAndDownWhileRequestsFlowFailsNoRequestAndNewReplicasGetTraffic() {
		try (RequestStream stream = RequestStream.of(this.client, 2)) {
			this.stack.scale(5);
			Instant healthy = Instant.now();
			List<String> five = this.stack.containers("counter");
			await("the gateway using all 5 replicas").atMost(Duration.ofSeconds(5))
				.until(() -> hostnames(stream.since(healthy)).size() == 5);
			System.out.printf("5 replicas in rotation %d ms after they were all healthy%n",
					Duration.between(healthy, Instant.now()).toMillis());
			assertThat(five).hasSize(5);

			this.stack.scale(2);
			Instant scaledDown = Instant.now();
			await("traffic on the 2 remaining replicas only").atMost(Duration.ofSeconds(30))
				.until(() -> stream.since(scaledDown).size() > 200);
			assertThat(hostnames(stream.since(scaledDown))).hasSize(2);
			stream.close();
			System.out.println("Scaling 3 -> 5 -> 2: " + stream.summary());
			assertThat(stream.failures()).as("failed requests").isEmpty();
			assertThat(stream.visits()).extracting(Visit::number).doesNotHaveDuplicates();
		}
	}

	private static List<String> hostnames(List<RequestStream.Outcome> outcomes) {
		return outcomes.stream()
			.filter((outcome) -> outcome.visit() != null)
			.map((outcome) -> outcome.visit().hostname())
			.distinct()
			.toList();
	}

}
