package io.github.visitcounter.gateway.routing;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import io.github.visitcounter.gateway.system.Refusal;
import io.netty.handler.codec.http.HttpVersion;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.core.Ordered;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Refuses, before routing, what the edge must not pass on, each with a 4xx (501 for a
 * method HTTP does not define) that the error handler words for the client:
 * <ul>
 * <li>ambiguous framing: {@code Transfer-Encoding} other than a single {@code chunked},
 * or on a request that is not HTTP/1.1 (Netty's decoder refuses it together with
 * {@code Content-Length} itself, with a bare 400);
 * <li>a missing (HTTP/1.1), repeated or malformed {@code Host};
 * <li>a WebSocket handshake: not part of this product (an {@code h2c} upgrade is ignored,
 * and the request served over HTTP/1.1);
 * <li>{@code CONNECT} (the gateway tunnels nothing), and methods HTTP does not define
 * (501). {@code TRACE} and the other methods the product does not serve are answered 405
 * with {@code Allow} after routing, like any method a path does not allow.
 * </ul>
 * Netty refuses oversized request lines and headers, and malformed requests, itself.
 */
class RequestHygieneWebFilter implements WebFilter, Ordered {

	// Spring's HttpMethod.values(): the methods of RFC 9110 and PATCH, less CONNECT
	private static final Set<HttpMethod> KNOWN_METHODS = Set.of(HttpMethod.values());

	private static final HttpMethod CONNECT = HttpMethod.valueOf("CONNECT");

	// A DNS name, an IPv4 address or a bracketed IPv6 address, and an optional port
	private static final Pattern HOST = Pattern
		.compile("(\\[[0-9A-Fa-f:.]{2,45}]|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?)(:[0-9]{1,5})?");

	private final int order;

	RequestHygieneWebFilter(int order) {
		this.order = order;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		if (!KNOWN_METHODS.contains(request.getMethod()) && !CONNECT.equals(request.getMethod())) {
			return Mono.error(new ResponseStatusException(HttpStatus.NOT_IMPLEMENTED));
		}
		String refusal = refusal(request);
		if (refusal != null) {
			return Mono.error(new Refusal(HttpStatus.BAD_REQUEST, refusal));
		}
		return chain.filter(exchange);
	}

	/**
	 * Why the request is refused, in a sentence for the client; null when it is not.
	 */
	static String refusal(ServerHttpRequest request) {
		if (CONNECT.equals(request.getMethod())) {
			return "this gateway tunnels nothing (CONNECT).";
		}
		HttpHeaders headers = request.getHeaders();
		boolean http11 = HttpVersion.HTTP_1_1.equals(version(request));
		List<String> transferEncodings = headers.getOrEmpty(HttpHeaders.TRANSFER_ENCODING);
		if (!transferEncodings.isEmpty() && (!http11 || transferEncodings.size() > 1
				|| !"chunked".equalsIgnoreCase(transferEncodings.get(0).trim())
				|| headers.containsHeader(HttpHeaders.CONTENT_LENGTH))) {
			return "the request's framing is ambiguous (Transfer-Encoding).";
		}
		List<String> hosts = headers.getOrEmpty(HttpHeaders.HOST);
		if (hosts.size() > 1 || (hosts.isEmpty() && http11)
				|| (hosts.size() == 1 && !HOST.matcher(hosts.get(0)).matches())) {
			return "the request needs exactly one valid Host header.";
		}
		for (String upgrade : headers.getOrEmpty(HttpHeaders.UPGRADE)) {
			if (upgrade.toLowerCase(Locale.ROOT).contains("websocket")) {
				return "this address does not accept WebSocket connections.";
			}
		}
		return null;
	}

	private static HttpVersion version(ServerHttpRequest request) {
		Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
		return (nativeRequest instanceof HttpServerRequest netty) ? netty.version() : HttpVersion.HTTP_1_1;
	}

	@Override
	public int getOrder() {
		return this.order;
	}

}
