package io.github.visitcounter.gateway.routing;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

/**
 * The headers only the edge may set, in the one copy of the client's headers a replica
 * gets. The gateway is the edge, so nothing a client says about forwarding or tracing is
 * trusted: its {@code Forwarded}, {@code X-Forwarded-*}, {@code X-Request-Id} and trace
 * context headers are dropped, and then:
 * <ul>
 * <li>{@code X-Forwarded-For}, {@code -Proto}, {@code -Host} and {@code -Port} are set
 * from the client's own connection (the gateway's {@code XForwardedHeadersFilter} cannot:
 * for a client it does not trust it only removes the headers, and for one it trusts it
 * keeps what the client sent);
 * <li>{@code X-Request-Id} gets an id of the gateway's, the same on every retry of the
 * request, so that a visit a dying replica had already counted is not counted again;
 * <li>the trace context is the gateway's own, added after this filter by Spring Cloud
 * Gateway's observation (a client could otherwise choose trace ids and force sampling).
 * </ul>
 */
class EdgeHeadersFilter implements HttpHeadersFilter, Ordered {

	static final String REQUEST_ID = "X-Request-Id";

	private static final String REQUEST_ID_ATTRIBUTE = EdgeHeadersFilter.class.getName() + ".requestId";

	private static final Set<String> DROPPED = Set.of("forwarded", "x-request-id", "traceparent", "tracestate",
			"baggage", "b3");

	private final int order;

	EdgeHeadersFilter(int order) {
		this.order = order;
	}

	/**
	 * The id this request was given, if it reached a replica.
	 * @param exchange the client's request
	 * @return the id, or {@code -}
	 */
	static String requestId(ServerWebExchange exchange) {
		return exchange.getAttributeOrDefault(REQUEST_ID_ATTRIBUTE, "-");
	}

	@Override
	public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
		HttpHeaders headers = new HttpHeaders();
		input.forEach((name, values) -> {
			String lowerCase = name.toLowerCase(Locale.ROOT);
			if (!DROPPED.contains(lowerCase) && !lowerCase.startsWith("x-forwarded-")
					&& !lowerCase.startsWith("x-b3-")) {
				headers.addAll(name, values);
			}
		});
		ServerHttpRequest request = exchange.getRequest();
		InetSocketAddress client = request.getRemoteAddress();
		if (client != null && client.getAddress() != null) {
			headers.set("X-Forwarded-For", client.getAddress().getHostAddress());
		}
		URI uri = request.getURI();
		String scheme = uri.getScheme();
		headers.set("X-Forwarded-Proto", scheme);
		// The host as parsed from a Host that request hygiene has checked (or from an
		// absolute-form target), lower case: never the client's raw header
		if (uri.getHost() != null) {
			headers.set("X-Forwarded-Host", uri.getHost().toLowerCase(Locale.ROOT));
		}
		int port = (uri.getPort() != -1) ? uri.getPort() : ("https".equals(scheme) ? 443 : 80);
		headers.set("X-Forwarded-Port", String.valueOf(port));
		headers.set(REQUEST_ID,
				exchange.getAttributes()
					.computeIfAbsent(REQUEST_ID_ATTRIBUTE, (key) -> UUID.randomUUID().toString())
					.toString());
		return headers;
	}

	@Override
	public int getOrder() {
		return this.order;
	}

}
