package io.github.visitcounter.counter;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway keeps connections to a replica open and sends the next request as soon as a
 * response has arrived: both of the replica's servers must go on reading them.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "counter.hostname=replica-test" })
@AutoConfigureWebTestClient
@Import(ContainersConfiguration.class)
class KeepAliveIntegrationTests {

	@LocalServerPort
	private int port;

	@LocalManagementPort
	private int managementPort;

	@Test
	void keepsReadingKeepAliveConnectionsWhoseQueuedRequestsAreAnsweredAtOnce() throws IOException {
		// A request queued behind one still finishing, then answered at once, used to
		// stop the server reading its connection (reactor/reactor-netty#4361)
		for (int round = 0; round < 100; round++) {
			try (KeepAliveConnection management = new KeepAliveConnection(this.managementPort);
					KeepAliveConnection visitor = new KeepAliveConnection(this.port)) {
				management.get("/actuator/health/liveness", "/actuator/health/liveness");
				visitor.get("/favicon.ico", "/favicon.ico");
				assertThat(management.statuses(2)).containsOnly(200);
				assertThat(visitor.statuses(2)).containsOnly(204);
				management.get("/actuator/health/liveness");
				visitor.get("/favicon.ico");
				assertThat(management.statuses(1)).as("round %d", round).containsOnly(200);
				assertThat(visitor.statuses(1)).as("round %d", round).containsOnly(204);
			}
		}
	}

}
