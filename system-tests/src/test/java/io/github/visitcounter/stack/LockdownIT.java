package io.github.visitcounter.stack;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * What compose.yaml promises about the containers, checked on the running stack: the Java
 * services run read-only, without capabilities and unable to gain privileges; Redis is
 * bounded and refuses writes rather than evicting; its network leads nowhere else; its
 * password is on no command line.
 */
@SystemTest
class LockdownIT {

	private final ComposeStack stack;

	LockdownIT(ComposeStack stack) {
		this.stack = stack;
	}

	@Test
	void javaServicesRunReadOnlyWithoutCapabilitiesOrAWayToGainPrivileges() {
		for (String service : List.of("counter", "gateway")) {
			for (String container : this.stack.containers(service)) {
				assertThat(this.stack.docker("inspect", "-f", "{{.HostConfig.ReadonlyRootfs}}", container).trim())
					.as("read-only root in %s", service)
					.isEqualTo("true");
				assertThatIllegalStateException().as("writing to the image in %s", service)
					.isThrownBy(() -> this.stack.docker("exec", container, "bash", "-c", "echo x > /app/written"));
				assertThat(
						this.stack.docker("exec", container, "bash", "-c", "echo x > /tmp/written && cat /tmp/written"))
					.as("writing to /tmp in %s", service)
					.isEqualTo("x\n");
				String status = this.stack.docker("exec", container, "cat", "/proc/1/status");
				assertThat(status).as("capabilities and privileges of the JVM in %s", service)
					.contains("CapEff:\t0000000000000000", "CapBnd:\t0000000000000000", "NoNewPrivs:\t1");
				// Netty unpacks its native transport to /tmp and must be able to load it
				assertThat(this.stack.docker("exec", container, "cat", "/proc/1/maps"))
					.as("Netty's epoll transport loaded in %s", service)
					.contains("netty_transport_native_epoll");
			}
		}
	}

	@Test
	void redisIsBoundedAndRefusesWritesRatherThanEvicting() {
		String redis = this.stack.containers("redis").get(0);
		// redis-cli warns on stderr when REDISCLI_AUTH is empty (no password set)
		assertThat(this.stack.docker("exec", redis, "sh", "-c", "redis-cli CONFIG GET maxmemory 2>/dev/null").lines())
			.containsExactly("maxmemory", Long.toString(64L * 1024 * 1024));
		assertThat(this.stack.docker("exec", redis, "sh", "-c", "redis-cli CONFIG GET maxmemory-policy 2>/dev/null")
			.lines()).containsExactly("maxmemory-policy", "noeviction");
	}

	@Test
	void redisNetworkLeadsNowhereElse() {
		String backend = this.stack.project() + "_backend";
		assertThat(this.stack.docker("network", "inspect", "-f", "{{.Internal}}", backend).trim()).isEqualTo("true");
		// The host, as the frontend network reaches it: a counter gets there, not Redis
		String host = this.stack
			.docker("network", "inspect", "-f", "{{(index .IPAM.Config 0).Gateway}}",
					this.stack.project() + "_frontend")
			.trim();
		int port = this.stack.uri("/").getPort();
		String connect = "exec 3<>/dev/tcp/%s/%d".formatted(host, port);
		String counter = this.stack.containers("counter").get(0);
		this.stack.docker("exec", counter, "timeout", "5", "bash", "-c", connect);
		assertThatIllegalStateException().as("the host from Redis")
			.isThrownBy(() -> this.stack.docker("exec", this.stack.containers("redis").get(0), "timeout", "5", "bash",
					"-c", connect));
	}

	@Test
	void redisPasswordIsOnNoCommandLineAndTheHealthCheckUsesIt() {
		String password = "s3cret-" + System.nanoTime();
		try (ComposeStack secured = ComposeStack.up(1, Map.of("REDIS_PASSWORD", password))) {
			String redis = secured.containers("redis").get(0);
			assertThat(secured.health(redis)).isEqualTo("healthy");
			assertThat(secured.docker("exec", redis, "sh", "-c", "cat /proc/[0-9]*/cmdline | tr '\\0' ' '"))
				.as("command lines in the Redis container")
				.contains("redis-server")
				.doesNotContain(password);
			assertThat(secured.docker("inspect", "-f", "{{json .Config.Cmd}} {{json .Config.Healthcheck}}", redis))
				.doesNotContain(password);
			assertThat(secured.docker("exec", redis, "sh", "-c", "REDISCLI_AUTH=wrong redis-cli ping 2>&1"))
				.as("Redis without the right password")
				.doesNotContain("PONG");
		}
	}

}
