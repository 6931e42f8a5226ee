package io.github.visitcounter.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The observability profile's Prometheus configuration, checked by Prometheus's own
 * {@code promtool} (Debian's {@code prometheus} package; skipped where it is absent).
 */
@EnabledIf("promtoolInstalled")
class PrometheusConfigTests {

	private static final Path CONFIG = Path.of(System.getProperty("compose.file", "../compose.yaml"))
		.toAbsolutePath()
		.getParent()
		.resolve("docker/prometheus");

	@Test
	void configAndRulesAreValid() throws Exception {
		assertThat(promtool("check", "config", CONFIG.resolve("prometheus.yml").toString()))
			.contains("SUCCESS: 1 rule files found", "is valid prometheus config file syntax");
		assertThat(promtool("check", "rules", CONFIG.resolve("rules.yml").toString()))
			.contains("SUCCESS: 4 rules found");
	}

	@Test
	void findsTheCountersAndTheGatewayByDnsOnTheirManagementPort() throws IOException {
		String config = Files.readString(CONFIG.resolve("prometheus.yml"));
		assertThat(config).contains("names: [counter]", "names: [gateway]", "port: 8081", "type: A",
				"metrics_path: /actuator/prometheus");
	}

	static boolean promtoolInstalled() {
		return Files.isExecutable(Path.of("/usr/bin/promtool"));
	}

	private static String promtool(String... args) throws IOException, InterruptedException {
		String[] command = new String[args.length + 1];
		command[0] = "/usr/bin/promtool";
		System.arraycopy(args, 0, command, 1, args.length);
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.exitValue()).as(output).isZero();
		return output;
	}

}
