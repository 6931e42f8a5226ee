package io.github.visitcounter.counter.visits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class LocalHostnameTests {

	@TempDir
	private Path directory;

	@Test
	void theKernelsNameComesFirst() throws IOException {
		Path kernel = Files.writeString(this.directory.resolve("hostname"), "replica-a\n");
		assertThat(LocalHostname.get(kernel, Map.of("HOSTNAME", "from-the-shell"))).isEqualTo("replica-a");
	}

	@Test
	void withoutTheKernelsNameTheEnvironmentSays() {
		Path missing = this.directory.resolve("missing");
		assertThat(LocalHostname.get(missing, Map.of("HOSTNAME", "from-the-shell"))).isEqualTo("from-the-shell");
		assertThat(LocalHostname.get(missing, Map.of("HOSTNAME", " ", "COMPUTERNAME", "WINDOWS-PC")))
			.isEqualTo("WINDOWS-PC");
	}

	@Test
	void withNeitherAnotherNameIsFoundNeverUnknown() {
		String name = LocalHostname.get(this.directory.resolve("missing"), Map.of());
		assertThat(name).isNotBlank().isNotEqualTo("unknown").doesNotContainAnyWhitespaces();
	}

}
