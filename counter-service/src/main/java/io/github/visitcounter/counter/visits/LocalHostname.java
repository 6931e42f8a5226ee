package io.github.visitcounter.counter.visits;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The name the kernel gives this machine, as the original app's
 * {@code socket.gethostname()} printed it: in a container, its hostname. Nothing here
 * asks DNS, so a name that does not resolve is still found (the JDK's
 * {@code InetAddress.getLocalHost()} fails on one).
 */
final class LocalHostname {

	private static final Path KERNEL = Path.of("/proc/sys/kernel/hostname");

	private LocalHostname() {
	}

	/**
	 * The kernel's name on Linux, else what the environment says, else what the
	 * {@code hostname} command prints; never blank. Where none of these answers, a random
	 * name, so that two such replicas are still told apart.
	 * @return the machine's name
	 */
	static String get() {
		return get(KERNEL, System.getenv());
	}

	static String get(Path kernel, Map<String, String> environment) {
		return Stream
			.of(read(kernel), Optional.ofNullable(environment.get("HOSTNAME")),
					Optional.ofNullable(environment.get("COMPUTERNAME")))
			.flatMap(Optional::stream)
			.map(String::strip)
			.filter((name) -> !name.isEmpty())
			.findFirst()
			.or(LocalHostname::hostnameCommand)
			.orElseGet(() -> "replica-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
	}

	private static Optional<String> read(Path file) {
		try {
			return Files.isReadable(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8))
					: Optional.empty();
		}
		catch (IOException ex) {
			return Optional.empty();
		}
	}

	// macOS and Windows have no /proc, and their shells do not export HOSTNAME
	private static Optional<String> hostnameCommand() {
		try {
			Process process = new ProcessBuilder("hostname").redirectErrorStream(true).start();
			process.getOutputStream().close();
			if (!process.waitFor(2, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				return Optional.empty();
			}
			String name = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
			return (process.exitValue() == 0 && !name.isEmpty() && !name.contains(" ")) ? Optional.of(name)
					: Optional.empty();
		}
		catch (IOException ex) {
			return Optional.empty();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Optional.empty();
		}
	}

}
