package io.github.visitcounter.counter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports.Binding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static io.github.visitcounter.counter.RedisOutageIntegrationTests.LIVENESS;
import static io.github.visitcounter.counter.RedisOutageIntegrationTests.READINESS;
import static io.github.visitcounter.counter.RedisOutageIntegrationTests.expectStoreUnavailableProblem;
import static io.github.visitcounter.counter.RedisOutageIntegrationTests.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Starts and stops whole applications against one Redis, as compose starts replicas: each
 * run is pointed at Redis through its properties, the way compose configures a replica,
 * so the container outlives the runs.
 */
@Testcontainers
@ExtendWith(OutputCaptureExtension.class)
class LifecycleIntegrationTests {

	// A fixed host port, so Redis can be stopped and started again at the same address
	private static final int REDIS_PORT = freePort();

	@Container
	private static final GenericContainer<?> redis = new GenericContainer<>(DockerImageName.parse("redis:8.2"))
		.withExposedPorts(6379)
		.withCreateContainerCmdModifier((create) -> create.getHostConfig()
			.withPortBindings(new PortBinding(Binding.bindPort(REDIS_PORT), ExposedPort.tcp(6379))));

	@Test
	void countSurvivesAnApplicationRestart() {
		long last;
		try (ConfigurableApplicationContext first = start()) {
			WebTestClient client = client(first, "local.server.port");
			client.get().uri("/").exchange().expectStatus().isOk().expectBody().returnResult();
			last = visitNumber(client);
		}
		try (ConfigurableApplicationContext second = start()) {
			assertThat(visitNumber(client(second, "local.server.port"))).isEqualTo(last + 1);
		}
	}

	@Test
	void visitsAreRejectedAtOnceWhileRedisIsStoppedAndNeverReplayed() {
		try (ConfigurableApplicationContext app = start()) {
			WebTestClient client = client(app, "local.server.port");
			long before = visitNumber(client);
			redis.getDockerClient().stopContainerCmd(redis.getContainerId()).exec();
			for (int i = 0; i < 5; i++) {
				long start = System.nanoTime();
				client.get()
					.uri("/")
					.exchange()
					.expectStatus()
					.isEqualTo(503)
					.expectBody(String.class)
					.isEqualTo(RedisOutageIntegrationTests.STORE_UNAVAILABLE);
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
			}
			WebTestClient management = client(app, "local.management.port");
			assertThat(status(management, READINESS)).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
			assertThat(status(management, LIVENESS)).isEqualTo(HttpStatus.OK);
			redis.getDockerClient().startContainerCmd(redis.getContainerId()).exec();
			// A readiness check can outlast the client's timeout as Lettuce reconnects
			await().atMost(Duration.ofSeconds(30))
				.ignoreExceptions()
				.untilAsserted(() -> assertThat(status(management, READINESS)).isEqualTo(HttpStatus.OK));
			// Redis saved its data when stopped; none of the refused visits was counted
			assertThat(visitNumber(client)).isEqualTo(before + 1);
		}
	}

	@Test
	void logsNoStackTraceWhileRedisIsUnreachable(CapturedOutput output) {
		redis.getDockerClient().stopContainerCmd(redis.getContainerId()).exec();
		try (ConfigurableApplicationContext app = start()) {
			WebTestClient client = client(app, "local.server.port");
			for (int i = 0; i < 5; i++) {
				expectStoreUnavailableProblem(client.get().uri("/api/visits"));
			}
			WebTestClient management = client(app, "local.management.port");
			assertThat(status(management, READINESS)).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
			// Neither the second of the two reads (total and spread) nor the readiness
			// check leaves a stack trace in the log: one line per refused request says it
			assertThat(output).doesNotContain("onErrorDropped").doesNotContain("\tat ");
			redis.getDockerClient().startContainerCmd(redis.getContainerId()).exec();
			await().atMost(Duration.ofSeconds(30))
				.ignoreExceptions()
				.untilAsserted(() -> assertThat(status(management, READINESS)).isEqualTo(HttpStatus.OK));
		}
		finally {
			if (!redis.isRunning()) {
				redis.getDockerClient().startContainerCmd(redis.getContainerId()).exec();
			}
		}
	}

	@Test
	void connectsToRedisWhileStartingBeforeAnyRequest() {
		await().atMost(Duration.ofSeconds(10)).until(() -> redisClientsBesidesRedisCli().isEmpty());
		try (ConfigurableApplicationContext app = start()) {
			await().atMost(Duration.ofSeconds(10)).until(() -> !redisClientsBesidesRedisCli().isEmpty());
		}
	}

	@Test
	void presenceIsKeptWhileRunningAndRemovedOnceStopped() throws Exception {
		try (ConfigurableApplicationContext app = start("--counter.presence.refresh-interval=200ms")) {
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(presenceExpiry()).isGreaterThan(redisMillis() + 5_000));
			long renewed = presenceExpiry();
			await().atMost(Duration.ofSeconds(10)).until(() -> presenceExpiry() > renewed);
		}
		assertThat(redisCli("ZSCORE", "visits:presence", "replica-test")).isBlank();
	}

	@Test
	void sharesOfReplicasLongGoneAreFoldedIntoOneSum() throws Exception {
		redisCli("HSET", "visits:replicas", "replica-long-gone", "5");
		redisCli("INCRBY", "visits", "5");
		long goneBefore = longOrZero(redisCli("HGET", "visits:replicas", "(gone)"));
		try (ConfigurableApplicationContext app = start("--counter.presence.refresh-interval=200ms",
				"--counter.presence.fold-after=0s")) {
			await().atMost(Duration.ofSeconds(10))
				.until(() -> redisCli("HEXISTS", "visits:replicas", "replica-long-gone").equals("0"));
		}
		assertThat(longOrZero(redisCli("HGET", "visits:replicas", "(gone)"))).isEqualTo(goneBefore + 5);
		long shares = redisCli("HVALS", "visits:replicas").lines().mapToLong(Long::parseLong).sum();
		assertThat(shares).isEqualTo(Long.parseLong(redisCli("GET", "visits")));
	}

	@Test
	void keepsServingWhileReadinessRefusesTrafficDuringTheDrainDelay() {
		ConfigurableApplicationContext app = start("--counter.shutdown.drain-delay=2s");
		try {
			WebTestClient client = client(app, "local.server.port");
			WebTestClient management = client(app, "local.management.port");
			assertThat(status(management, READINESS)).isEqualTo(HttpStatus.OK);
			CompletableFuture<Void> closing = CompletableFuture.runAsync(app::close);
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
				EntityExchangeResult<String> readiness = management.get()
					.uri(READINESS)
					.exchange()
					.expectBody(String.class)
					.returnResult();
				assertThat(readiness.getStatus()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
				assertThat(readiness.getResponseBody()).contains("\"status\":\"OUT_OF_SERVICE\"");
			});
			assertThat(closing).isNotDone();
			client.get().uri("/").exchange().expectStatus().isOk().expectBody().returnResult();
			await().atMost(Duration.ofSeconds(30)).until(closing::isDone);
			assertThat(app.isActive()).isFalse();
		}
		finally {
			app.close();
		}
	}

	private static ConfigurableApplicationContext start(String... args) {
		List<String> all = new ArrayList<>(
				List.of("--server.port=0", "--management.server.port=0", "--counter.hostname=replica-test",
						"--spring.data.redis.host=" + redis.getHost(), "--spring.data.redis.port=" + REDIS_PORT));
		all.addAll(Arrays.asList(args));
		return new SpringApplicationBuilder(CounterServiceApplication.class, OwnNettyResources.class)
			.run(all.toArray(String[]::new));
	}

	private static long presenceExpiry() throws IOException, InterruptedException {
		return longOrZero(redisCli("ZSCORE", "visits:presence", "replica-test"));
	}

	private static long redisMillis() throws IOException, InterruptedException {
		List<String> time = redisCli("TIME").lines().toList();
		return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
	}

	private static String redisCli(String... command) throws IOException, InterruptedException {
		String[] line = new String[command.length + 1];
		line[0] = "redis-cli";
		System.arraycopy(command, 0, line, 1, command.length);
		return redis.execInContainer(line).getStdout().strip();
	}

	private static long longOrZero(String value) {
		return value.isBlank() ? 0 : (long) Double.parseDouble(value);
	}

	private static List<String> redisClientsBesidesRedisCli() throws IOException, InterruptedException {
		return redis.execInContainer("redis-cli", "CLIENT", "LIST")
			.getStdout()
			.lines()
			.filter((client) -> !client.isBlank() && !client.contains("cmd=client|list"))
			.toList();
	}

	private static WebTestClient client(ConfigurableApplicationContext app, String portProperty) {
		return WebTestClient.bindToServer()
			.baseUrl("http://localhost:" + app.getEnvironment().getProperty(portProperty))
			.build();
	}

	private static long visitNumber(WebTestClient client) {
		String body = client.get()
			.uri("/")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(body).startsWith("Visit number ");
		return Long.parseLong(body.lines().findFirst().orElseThrow().substring("Visit number ".length()));
	}

	/**
	 * Netty event loops of the run's own. By default every application in a JVM shares
	 * Reactor Netty's global ones, and the first run to close would dispose of them under
	 * the other tests' servers.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class OwnNettyResources {

		@Bean
		ReactorResourceFactory reactorResourceFactory() {
			ReactorResourceFactory factory = new ReactorResourceFactory();
			factory.setUseGlobalResources(false);
			return factory;
		}

	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
