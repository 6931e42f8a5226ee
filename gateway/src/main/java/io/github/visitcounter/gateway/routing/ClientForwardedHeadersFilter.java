package io.github.visitcounter.gateway.routing;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Locale;

import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

/**
 * Tells the replicas who the client is. The gateway is the edge, so nothing a client says
 * about forwarding is trusted: its {@code Forwarded} and {@code X-Forwarded-*} headers
 * are dropped, and {@code X-Forwarded-For}, {@code -Proto}, {@code -Host} and
 * {@code -Port} are set from the client's own connection.
 * <p>
 * The gateway's {@code XForwardedHeadersFilter} cannot do this: for a client it does not
 * trust it only removes the headers, and for one it trusts it keeps what the client sent.
 */
class ClientForwardedHeadersFilter implements HttpHeadersFilter, Ordered {

	private final int order;

	ClientForwardedHeadersFilter(int order) {
		this.order = order;
	}

	@Override
	public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
		HttpHeaders headers = new HttpHeaders();
		input.forEach((name, values) -> {
			String lowerCase = name.toLowerCase(Locale.ROOT);
			if (!lowerCase.equals("forwarded") && !lowerCase.startsWith("x-forwarded-")) {
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
		return headers;
	}

	@Override
	public int getOrder() {
		return this.order;
	}

}
