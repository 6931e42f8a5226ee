package io.github.visitcounter.gateway.routing;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

class EdgeHeadersFilterTests {

	private final EdgeHeadersFilter filter = new EdgeHeadersFilter(0);

	@Test
	void retriesOfOneRequestKeepItsId() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/"));
		String first = this.filter.filter(new HttpHeaders(), exchange).getFirst(EdgeHeadersFilter.REQUEST_ID);
		String retry = this.filter.filter(new HttpHeaders(), exchange).getFirst(EdgeHeadersFilter.REQUEST_ID);
		assertThat(first).isNotBlank().isEqualTo(retry);
	}

	@Test
	void everyRequestGetsANewIdReplacingTheClients() {
		HttpHeaders sent = new HttpHeaders();
		sent.set(EdgeHeadersFilter.REQUEST_ID, "chosen-by-client");
		String one = this.filter.filter(sent, MockServerWebExchange.from(MockServerHttpRequest.get("/")))
			.getFirst(EdgeHeadersFilter.REQUEST_ID);
		String other = this.filter.filter(sent, MockServerWebExchange.from(MockServerHttpRequest.get("/")))
			.getFirst(EdgeHeadersFilter.REQUEST_ID);
		assertThat(one).isNotEqualTo(other).isNotEqualTo("chosen-by-client");
		assertThat(other).isNotEqualTo("chosen-by-client");
	}

}
