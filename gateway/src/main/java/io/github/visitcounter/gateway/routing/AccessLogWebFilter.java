package io.github.visitcounter.gateway.routing;

import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.visitcounter.gateway.system.RequestLogContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Logs one line per request on the public port to the {@code access} logger: method,
 * path, status, the replica that answered, milliseconds to the response's first byte and
 * the request id the replicas saw; with the request's trace and span ids where Boot's log
 * pattern puts them. Logged when the response is committed, so that failures show the
 * status the client got. Off unless that logger's level is info (application.yaml).
 * Reactor Netty's own access log cannot name the replica that answered.
 */
class AccessLogWebFilter implements WebFilter, Ordered {

	private static final Logger logger = LoggerFactory.getLogger("access");

	private final int order;

	AccessLogWebFilter(int order) {
		this.order = order;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (!logger.isInfoEnabled()
				|| WebServerApplicationContext.hasServerNamespace(exchange.getApplicationContext(), "management")) {
			return chain.filter(exchange);
		}
		long start = System.nanoTime();
		AtomicBoolean logged = new AtomicBoolean();
		exchange.getResponse().beforeCommit(() -> {
			HttpStatusCode status = exchange.getResponse().getStatusCode();
			log(exchange, start, logged, String.valueOf((status != null) ? status.value() : 200));
			return Mono.empty();
		});
		return chain.filter(exchange).doOnCancel(() -> log(exchange, start, logged, "cancelled"));
	}

	private void log(ServerWebExchange exchange, long start, AtomicBoolean logged, String outcome) {
		if (logged.compareAndSet(false, true)) {
			long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
			RequestLogContext.log(exchange,
					() -> logger.info("{} {} {} {} {} ms {}", exchange.getRequest().getMethod(),
							exchange.getRequest().getURI().getRawPath(), outcome, replica(exchange), millis,
							EdgeHeadersFilter.requestId(exchange)));
		}
	}

	private String replica(ServerWebExchange exchange) {
		URI url = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR);
		return (url != null && !"lb".equals(url.getScheme())) ? url.getAuthority() : "-";
	}

	@Override
	public int getOrder() {
		return this.order;
	}

}
