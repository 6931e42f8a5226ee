package io.github.visitcounter.stack;

import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page's footer shows the client's address as the gateway saw it, never what the
 * client claims.
 */
@SystemTest
class ClientAddressIT {

	private static final Pattern FOOTER = Pattern.compile("Your address: <span id=\"client-address\">([^<]+)</span>");

	private final ComposeStack stack;

	private final GatewayClient client;

	ClientAddressIT(ComposeStack stack, GatewayClient client) {
		this.stack = stack;
		this.client = client;
	}

	@Test
	void pageShowsTheAddressTheGatewaySawNotTheOneClaimed() {
		HttpResponse<String> page = this.client.send(this.client.request("/")
			.header("Accept", "text/html")
			.header("X-Forwarded-For", "6.6.6.6")
			.GET()
			.build());
		assertThat(page.statusCode()).isEqualTo(200);
		Matcher footer = FOOTER.matcher(page.body());
		assertThat(footer.find()).as("the footer in %s", page.body()).isTrue();
		// This test connects to 127.0.0.1; Docker's proxy for the published port connects
		// to the gateway from the frontend network's gateway address
		String frontendGateway = this.stack
			.docker("network", "inspect", "-f", "{{(index .IPAM.Config 0).Gateway}}",
					this.stack.project() + "_frontend")
			.trim();
		System.out.printf("The page shows \"Your address: %s\" (frontend network gateway %s)%n", footer.group(1),
				frontendGateway);
		assertThat(footer.group(1)).isIn(frontendGateway, "127.0.0.1");
	}

}
