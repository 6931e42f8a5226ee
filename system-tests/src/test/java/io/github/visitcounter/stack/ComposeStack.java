package io.github.visitcounter.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The repository's compose.yaml, run under a project name of its own with the real
 * {@code docker compose} CLI (v2, or the v1 tool behind the v2 spelling). Containers are
 * found by their compose labels, never by name, since v1 and v2 name them differently.
 */
final class ComposeStack implements AutoCloseable {

	private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(20);

	private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(3);

	private final Path composeFile;

	private final String project;

	private final int httpPort;

	private final Map<String, String> environment;

	private final Path log;

	private ComposeStack(Path composeFile, String project, int httpPort, Map<String, String> environment) {
		this.composeFile = composeFile;
		this.project = project;
		this.httpPort = httpPort;
		this.environment = environment;
		this.log = Path.of(System.getProperty("java.io.tmpdir"), project + ".log");
	}

	/**
	 * Builds the images and starts the stack with the given number of counter replicas.
	 */
	static ComposeStack up(int counters) {
		return up(counters, Map.of());
	}

	/**
	 * Builds the images and starts the stack with the given number of counter replicas
	 * and these variables in the environment of {@code docker compose}.
	 */
	static ComposeStack up(int counters, Map<String, String> environment) {
		Path file = Path.of(System.getProperty("compose.file", "../compose.yaml")).toAbsolutePath().normalize();
		String project = "vcit" + UUID.randomUUID().toString().substring(0, 8);
		ComposeStack stack = new ComposeStack(file, project, freePort(), environment);
		try {
			stack.compose(BUILD_TIMEOUT, "up", "-d", "--build", "--scale", "counter=" + counters);
			stack.awaitHealthy(counters);
		}
		catch (RuntimeException ex) {
			stack.close();
			throw ex;
		}
		return stack;
	}

	static boolean dockerAvailable() {
		try {
			return run(List.of("docker", "compose", "version"), Duration.ofSeconds(30), null).ok()
					&& run(List.of("docker", "info"), Duration.ofSeconds(30), null).ok();
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	String project() {
		return this.project;
	}

	URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.httpPort + path);
	}

	Path composeFile() {
		return this.composeFile;
	}

	/** The directory of the compose file: the repository's root. */
	Path directory() {
		return this.composeFile.getParent();
	}

	/**
	 * Runs a command from the repository's root as a user's shell would run it against
	 * this stack: {@code COMPOSE_PROJECT_NAME} and {@code COMPOSE_FILE} name it, and
	 * plain {@code docker compose} finds it. Returns the exit code and output, whatever
	 * they are.
	 */
	Result run(Duration timeout, String... command) {
		Map<String, String> compose = Map.of("COMPOSE_PROJECT_NAME", this.project, "COMPOSE_FILE",
				this.composeFile.toString());
		return run(Arrays.asList(command), timeout, this, compose, directory());
	}

	/**
	 * Runs a command in a directory, with these variables added to this process's
	 * environment; returns the exit code and output, whatever they are.
	 */
	static Result run(Duration timeout, Map<String, String> environment, Path directory, List<String> command) {
		return run(command, timeout, null, environment, directory);
	}

	/**
	 * Runs {@code docker compose} on this stack and returns what it printed; fails on a
	 * non-zero exit.
	 */
	String compose(String... args) {
		return compose(COMMAND_TIMEOUT, args);
	}

	private String compose(Duration timeout, String... args) {
		List<String> command = new ArrayList<>(
				List.of("docker", "compose", "-p", this.project, "-f", this.composeFile.toString()));
		command.addAll(Arrays.asList(args));
		return check(run(command, timeout, this));
	}

	/** Runs {@code docker} with the given arguments; fails on a non-zero exit. */
	String docker(String... args) {
		List<String> command = new ArrayList<>(List.of("docker"));
		command.addAll(Arrays.asList(args));
		return check(run(command, COMMAND_TIMEOUT, this));
	}

	/**
	 * Freezes a container with {@code docker pause}, trying up to five times. On a cgroup
	 * v1 host (this one) runc gives up with "unable to freeze" when the freezer stays
	 * FREEZING, which it calls a game of chances while processes join the cgroup (a
	 * health check's exec does, every few seconds); it thaws the container back then, so
	 * trying again is safe. Docker itself does not retry.
	 */
	void pause(String container) {
		List<String> command = List.of("docker", "pause", container);
		Result result = run(command, COMMAND_TIMEOUT, this);
		for (int attempt = 1; attempt < 5 && !result.ok() && result.output().contains("unable to freeze"); attempt++) {
			result = run(command, COMMAND_TIMEOUT, this);
		}
		check(result);
	}

	/** Running containers of a service, by their compose labels. */
	List<String> containers(String service) {
		return lines(docker("ps", "-q", "--filter", "label=com.docker.compose.project=" + this.project, "--filter",
				"label=com.docker.compose.service=" + service));
	}

	String health(String container) {
		return docker("inspect", "-f", "{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}", container)
			.trim();
	}

	/** The container's address on one of the stack's networks. */
	String address(String container, String network) {
		return docker("inspect", "-f",
				"{{(index .NetworkSettings.Networks \"" + this.project + "_" + network + "\").IPAddress}}", container)
			.trim();
	}

	/**
	 * Sends a plain HTTP/1.0 GET from inside a container (bash's /dev/tcp: the images
	 * have neither curl nor wget) and returns the raw response.
	 */
	String httpFromInside(String container, String host, int port, String path) {
		String script = "exec 3<>/dev/tcp/%s/%d && printf 'GET %s HTTP/1.0\\r\\nHost: %s\\r\\n\\r\\n' >&3 && cat <&3"
			.formatted(host, port, path, host);
		return docker("exec", container, "bash", "-c", script);
	}

	/** Scales the counter service without touching the other containers. */
	void scale(int counters) {
		compose("up", "-d", "--no-recreate", "--no-build", "--scale", "counter=" + counters);
		awaitHealthy(counters);
	}

	/** Waits until every container is running and healthy, with this many counters. */
	void awaitHealthy(int counters) {
		await("%d healthy counters, healthy redis and gateway".formatted(counters)).atMost(Duration.ofMinutes(3))
			.pollInterval(Duration.ofSeconds(1))
			.ignoreExceptions()
			.until(() -> {
				List<String> replicas = containers("counter");
				return replicas.size() == counters && allHealthy(replicas) && allHealthy(containers("redis"))
						&& allHealthy(containers("gateway"));
			});
	}

	private boolean allHealthy(List<String> containers) {
		return !containers.isEmpty() && containers.stream().allMatch((id) -> "healthy".equals(health(id)));
	}

	@Override
	public void close() {
		run(List.of("docker", "compose", "-p", this.project, "-f", this.composeFile.toString(), "down", "-v",
				"--remove-orphans", "--timeout", "20"), COMMAND_TIMEOUT, this);
	}

	private static List<String> lines(String output) {
		return output.lines().map(String::trim).filter((line) -> !line.isEmpty()).toList();
	}

	private static String check(Result result) {
		if (!result.ok()) {
			throw new IllegalStateException("%s exited with %d:%n%s".formatted(String.join(" ", result.command()),
					result.exitCode(), tail(result.output())));
		}
		return result.output();
	}

	private static String tail(String output) {
		List<String> lines = output.lines().toList();
		return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
	}

	private static Result run(List<String> command, Duration timeout, ComposeStack stack) {
		return run(command, timeout, stack, Map.of(), null);
	}

	private static Result run(List<String> command, Duration timeout, ComposeStack stack,
			Map<String, String> environment, Path directory) {
		try {
			Path output = Files.createTempFile("docker", ".out");
			try {
				ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
					.redirectOutput(output.toFile());
				if (stack != null) {
					builder.environment().putAll(stack.environment);
					builder.environment().put("HTTP_PORT", Integer.toString(stack.httpPort));
				}
				builder.environment().putAll(environment);
				if (directory != null) {
					builder.directory(directory.toFile());
				}
				Process process = builder.start();
				process.getOutputStream().close();
				if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
					process.destroyForcibly().waitFor();
					return new Result(command, -1, "timed out after " + timeout + "\n" + Files.readString(output));
				}
				String text = Files.readString(output, StandardCharsets.UTF_8);
				if (stack != null) {
					Files.writeString(stack.log, "$ " + String.join(" ", command) + "\n" + text, StandardCharsets.UTF_8,
							StandardOpenOption.CREATE, StandardOpenOption.APPEND);
				}
				return new Result(command, process.exitValue(), text);
			}
			finally {
				Files.deleteIfExists(output);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
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

	@Override
	public String toString() {
		return "compose project %s on port %d (log: %s)".formatted(this.project, this.httpPort, this.log);
	}

	/** What a command printed, standard error included, and how it exited. */
	record Result(List<String> command, int exitCode, String output) {

		boolean ok() {
			return this.exitCode == 0;
		}

	}

}
