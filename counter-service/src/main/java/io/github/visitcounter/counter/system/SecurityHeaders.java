package io.github.visitcounter.counter.system;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Security headers on every response of the public port, error responses included. The
 * page's style and script are inline; the policy allows them by hash, never with
 * {@code 'unsafe-inline'}.
 */
@Component
class SecurityHeaders implements WebFilter {

	private final String contentSecurityPolicy;

	SecurityHeaders(PageAssets assets) {
		this.contentSecurityPolicy = "default-src 'none'; script-src '" + assets.scriptHash() + "'; style-src '"
				+ assets.styleHash() + "'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; "
				+ "form-action 'none'; frame-ancestors 'none'";
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		HttpHeaders headers = exchange.getResponse().getHeaders();
		headers.set("Content-Security-Policy", this.contentSecurityPolicy);
		headers.set("X-Content-Type-Options", "nosniff");
		headers.set("Referrer-Policy", "no-referrer");
		return chain.filter(exchange);
	}

}
