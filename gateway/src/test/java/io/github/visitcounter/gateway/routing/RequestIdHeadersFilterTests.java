package io.github.visitcounter.gateway.routing;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

class RequestIdHeadersFilterTests {

	private final RequestIdHeadersFilter filter = new RequestIdHeadersFilter(0);

	@Test
	void retriesOfOneRequestKeepItsId() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/"));
		String first = this.filter.filter(new HttpHeaders(), exchange).getFirst(RequestIdHeadersFilter.HEADER);
		String retry = this.filter.filter(new HttpHeaders(), exchange).getFirst(RequestIdHeadersFilter.HEADER);
		assertThat(first).isNotBlank().isEqualTo(retry);
	}

	@Test
	void everyRequestGetsANewIdReplacingTheClients() {
		HttpHeaders sent = new HttpHeaders();
		sent.set(RequestIdHeadersFilter.HEADER, "chosen-by-client");
		String one = this.filter.filter(sent, MockServerWebExchange.from(MockServerHttpRequest.get("/")))
			.getFirst(RequestIdHeadersFilter.HEADER);
		String other = this.filter.filter(sent, MockServerWebExchange.from(MockServerHttpRequest.get("/")))
			.getFirst(RequestIdHeadersFilter.HEADER);
		assertThat(one).isNotEqualTo(other).isNotEqualTo("chosen-by-client");
		assertThat(other).isNotEqualTo("chosen-by-client");
	}

}
