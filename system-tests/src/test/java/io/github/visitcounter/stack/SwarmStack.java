package io.github.visitcounter.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;

import static org.awaitility.Awaitility.await;

/**
 * {@code deploy/swarm/stack.yaml} deployed as the README says, on a single-node swarm
 * that this class creates on the local engine and removes again, leaving the engine as it
 * was. The engine's kernel may lack IPVS (this machine's does), so the stack is deployed
 * with {@code deploy/swarm/single-node.yaml}: DNS round robin and a host-mode port.
 * Leaving a swarm cuts the engine's running containers off their networks
 * (moby/moby#42877), so it only runs where no other container uses one.
 */
final class SwarmStack implements AutoCloseable {

	static final String NAME = "visit-counter";

	static final String COUNTER = NAME + "_counter";

	private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(20);

	private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(5);

	private static final String GATEWAY_BRIDGE = "docker_gwbridge";

	private static final String CUT_OFF = "%d container(s) run on this engine's networks (%s),"
			+ " and docker swarm leave, which the test must run to leave the engine as it found it, cuts such"
			+ " containers off their networks and published ports (moby/moby#42877). Run it where nothing else runs.";

	private final Path root;

	private final int httpPort = freePort();

	private boolean createdSwarm;

	private boolean createdGatewayBridge;

	private SwarmStack(Path root) {
		this.root = root;
	}

	/**
	 * Builds the images, creates the swarm and deploys the stack; aborts the calling test
	 * (skipped, with the reason) where the engine already is in a swarm, runs containers
	 * that leaving a swarm would cut off, or cannot create one.
	 */
	static SwarmStack deploy() {
		Path file = Path.of(System.getProperty("compose.file", "../compose.yaml")).toAbsolutePath().normalize();
		SwarmStack swarm = new SwarmStack(file.getParent());
		String state = swarm.docker("info", "--format", "{{.Swarm.LocalNodeState}}").trim();
		if (!state.equals("inactive")) {
			skip("the engine is already in a swarm (state " + state
					+ ") that this test did not create, and it deploys into or leaves only its own");
		}
		swarm.check(BUILD_TIMEOUT, "docker", "compose", "-f", file.toString(), "build", "counter", "gateway");
		List<String> cutOff = swarm.containersOnNetworks();
		if (!cutOff.isEmpty()) {
			skip(CUT_OFF.formatted(cutOff.size(), String.join(", ", cutOff)));
		}
		swarm.createdGatewayBridge = !swarm.run(COMMAND_TIMEOUT, "docker", "network", "inspect", GATEWAY_BRIDGE).ok();
		ComposeStack.Result init = swarm.run(COMMAND_TIMEOUT, "docker", "swarm", "init", "--advertise-addr",
				"127.0.0.1");
		if (!init.ok()) {
			swarm.close();
			skip("the engine cannot init a swarm: " + init.output().trim());
		}
		swarm.createdSwarm = true;
		try {
			String node = swarm.docker("info", "--format", "{{.Swarm.NodeID}}").trim();
			swarm.docker("node", "update", "--label-add", "visit-counter.redis-data=true", node);
			// As the README deploys it on one node without IPVS
			swarm.docker("stack", "deploy", "-c", "deploy/swarm/stack.yaml", "-c", "deploy/swarm/single-node.yaml",
					NAME);
			swarm.awaitHealthy(3);
		}
		catch (RuntimeException ex) {
			swarm.close();
			throw ex;
		}
		return swarm;
	}

	/**
	 * Aborts the calling test, saying why on the console too: a class skipped in
	 * {@code @BeforeAll} shows no reason.
	 */
	private static void skip(String reason) {
		System.out.println("Swarm test skipped: " + reason);
		Assumptions.abort("Swarm test skipped: " + reason);
	}

	URI uri() {
		return URI.create("http://127.0.0.1:" + this.httpPort);
	}

	/** Runs {@code docker} from the repository's root; fails on a non-zero exit. */
	String docker(String... args) {
		List<String> command = new ArrayList<>(List.of("docker"));
		command.addAll(Arrays.asList(args));
		return check(COMMAND_TIMEOUT, command.toArray(String[]::new));
	}

	/** Running containers of one of the stack's services. */
	List<String> containers(String service) {
		return docker("ps", "-q", "--filter", "label=com.docker.swarm.service.name=" + NAME + "_" + service).lines()
			.map(String::trim)
			.filter((line) -> !line.isEmpty())
			.toList();
	}

	/** Waits until this many counters, Redis and the gateway run healthy. */
	void awaitHealthy(int counters) {
		await("%d healthy counters, healthy redis and gateway".formatted(counters)).atMost(Duration.ofMinutes(5))
			.pollInterval(Duration.ofSeconds(1))
			.ignoreExceptions()
			.until(() -> {
				List<String> replicas = containers("counter");
				return replicas.size() == counters && allHealthy(replicas) && allHealthy(containers("redis"))
						&& allHealthy(containers("gateway"));
			});
	}

	/**
	 * Running containers attached to any network but the host's or none, as name and
	 * networks; the stack's own are gone by the time this matters.
	 */
	private List<String> containersOnNetworks() {
		List<String> running = docker("ps", "-q").lines().map(String::trim).filter((id) -> !id.isEmpty()).toList();
		if (running.isEmpty()) {
			return List.of();
		}
		List<String> inspect = new ArrayList<>(List.of("inspect", "-f",
				"{{.Name}}{{range $name, $network := .NetworkSettings.Networks}} {{$name}}{{end}}"));
		inspect.addAll(running);
		return docker(inspect.toArray(String[]::new)).lines()
			.map((line) -> line.trim().replaceFirst("^/", ""))
			.filter((line) -> Arrays.stream(line.split(" "))
				.skip(1)
				.anyMatch((network) -> !network.equals("host") && !network.equals("none")))
			.toList();
	}

	private boolean allHealthy(List<String> containers) {
		return !containers.isEmpty() && containers.stream()
			.allMatch((id) -> "healthy".equals(docker("inspect", "-f", "{{.State.Health.Status}}", id).trim()));
	}

	/**
	 * Removes the stack and its volume, then the swarm, then the bridge network the swarm
	 * created.
	 */
	@Override
	public void close() {
		if (this.createdSwarm) {
			run(COMMAND_TIMEOUT, "docker", "stack", "rm", NAME);
			await("the stack's containers and networks removed").atMost(Duration.ofMinutes(2))
				.pollInterval(Duration.ofSeconds(1))
				.ignoreExceptions()
				.until(() -> docker("ps", "-aq", "--filter", "label=com.docker.stack.namespace=" + NAME).isBlank()
						&& docker("network", "ls", "-q", "--filter", "label=com.docker.stack.namespace=" + NAME)
							.isBlank());
			run(COMMAND_TIMEOUT, "docker", "volume", "rm", NAME + "_redis-data");
			List<String> cutOff = containersOnNetworks();
			if (!cutOff.isEmpty()) {
				System.err.printf("WARNING: containers started during the Swarm test lose their networks when it"
						+ " leaves the swarm (moby/moby#42877); restarting them restores them (moby/moby#47392): %s%n",
						cutOff);
			}
			run(COMMAND_TIMEOUT, "docker", "swarm", "leave", "--force");
		}
		if (this.createdGatewayBridge) {
			run(COMMAND_TIMEOUT, "docker", "network", "rm", GATEWAY_BRIDGE);
		}
	}

	private String check(Duration timeout, String... command) {
		ComposeStack.Result result = run(timeout, command);
		if (!result.ok()) {
			throw new IllegalStateException(
					"%s exited with %d:%n%s".formatted(String.join(" ", command), result.exitCode(), result.output()));
		}
		return result.output();
	}

	/**
	 * Runs a command from the repository's root, with HTTP_PORT set for the stack file;
	 * returns its exit code and output, whatever they are.
	 */
	ComposeStack.Result run(Duration timeout, String... command) {
		return ComposeStack.run(timeout, Map.of("HTTP_PORT", Integer.toString(this.httpPort)), this.root,
				Arrays.asList(command));
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public String toString() {
		return "swarm stack %s on port %d".formatted(NAME, this.httpPort);
	}

}
