package io.github.visitcounter.stack;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * What an attacker on the outside, or in the gateway, can and cannot reach.
 */
@SystemTest
class HardeningIT {

	private final ComposeStack stack;

	HardeningIT(ComposeStack stack) {
		this.stack = stack;
	}

	@Test
	void servicesRunAsNonRootOnARuntimeImageWithoutBuildTools() {
		for (String service : List.of("counter", "gateway")) {
			for (String container : this.stack.containers(service)) {
				assertThat(this.stack.docker("exec", container, "id", "-u").trim()).as("uid in %s", service)
					.isNotEqualTo("0");
				// The offline stand-in for eclipse-temurin:25-jre (label
				// offline.standin) includes jdk.compiler; the official image has no javac
				boolean standIn = "true".equals(
						this.stack.docker("inspect", "-f", "{{index .Config.Labels \"offline.standin\"}}", container)
							.trim());
				String tools = standIn ? "jlink jar jmod mvn gcc make" : "javac jlink jar jmod mvn gcc make";
				assertThat(this.stack.docker("exec", container, "bash", "-c",
						"for tool in " + tools + "; do command -v $tool; done; true"))
					.as("build tools in the %s image%s", service, standIn ? " (stand-in base: javac not checked)" : "")
					.isBlank();
			}
		}
	}

	@Test
	void onlyTheGatewayPortIsPublished() {
		assertThat(this.stack.docker("port", this.stack.containers("redis").get(0))).isBlank();
		for (String counter : this.stack.containers("counter")) {
			assertThat(this.stack.docker("port", counter)).isBlank();
		}
		assertThat(this.stack.docker("port", this.stack.containers("gateway").get(0)).lines())
			.allSatisfy((line) -> assertThat(line).startsWith("8080/tcp"));
	}

	@Test
	void gatewayCannotReachRedis() {
		String gateway = this.stack.containers("gateway").get(0);
		String redisAddress = this.stack.address(this.stack.containers("redis").get(0), "backend");
		assertThatIllegalStateException().as("redis by name from the gateway")
			.isThrownBy(() -> this.stack.docker("exec", gateway, "timeout", "3", "bash", "-c",
					"exec 3<>/dev/tcp/redis/6379"));
		assertThatIllegalStateException().as("redis by address from the gateway")
			.isThrownBy(() -> this.stack.docker("exec", gateway, "timeout", "3", "bash", "-c",
					"exec 3<>/dev/tcp/" + redisAddress + "/6379"));
		String counter = this.stack.containers("counter").get(0);
		assertThat(this.stack.docker("exec", counter, "timeout", "3", "bash", "-c",
				"exec 3<>/dev/tcp/redis/6379 && printf 'PING\\r\\n' >&3 && head -c 5 <&3"))
			.as("redis from a counter")
			.contains("PONG");
	}

	@Test
	void redisPasswordWorksEndToEndWhenSet() {
		try (ComposeStack secured = ComposeStack.up(1, Map.of("REDIS_PASSWORD", "s3cret-" + System.nanoTime()))) {
			GatewayClient securedClient = new GatewayClient(secured);
			securedClient.awaitRotation(1);
			Visit visit = securedClient.visit();
			assertThat(securedClient.visit().number()).isEqualTo(visit.number() + 1);
			String counter = secured.containers("counter").get(0);
			assertThat(secured.docker("exec", counter, "timeout", "3", "bash", "-c",
					"exec 3<>/dev/tcp/redis/6379 && printf 'PING\\r\\n' >&3 && head -c 7 <&3"))
				.as("redis without the password")
				.startsWith("-NOAUTH");
		}
	}

}
