package io.github.visitcounter.gateway.routing;

import java.util.UUID;

import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * Gives each client request an id, sent to the replica as {@code X-Request-Id} and kept
 * when the request is retried on another replica, so that a visit a dying replica had
 * already counted is not counted again. An id sent by the client is replaced.
 */
class RequestIdHeadersFilter implements HttpHeadersFilter, Ordered {

	static final String HEADER = "X-Request-Id";

	private static final String ATTRIBUTE = RequestIdHeadersFilter.class.getName() + ".id";

	private final int order;

	RequestIdHeadersFilter(int order) {
		this.order = order;
	}

	/**
	 * The id this request was given, if it reached a replica.
	 * @param exchange the client's request
	 * @return the id, or {@code -}
	 */
	static String of(ServerWebExchange exchange) {
		return exchange.getAttributeOrDefault(ATTRIBUTE, "-");
	}

	@Override
	public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
		String id = exchange.getAttributes()
			.computeIfAbsent(ATTRIBUTE, (key) -> UUID.randomUUID().toString())
			.toString();
		HttpHeaders headers = new HttpHeaders();
		headers.putAll(input);
		headers.set(HEADER, id);
		return headers;
	}

	@Override
	public int getOrder() {
		return this.order;
	}

}
