package io.github.visitcounter.gateway.routing;

import java.util.concurrent.atomic.AtomicLong;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Refuses request bodies over {@code gateway.routing.max-request-body-size} with 413. The
 * Retry filter makes the gateway hold a retried route's whole request body in memory
 * (before any route filter runs, so the {@code RequestSize} filter comes too late).
 */
@Component
class RequestBodyLimitWebFilter implements WebFilter, Ordered {

	private final long maxBytes;

	RequestBodyLimitWebFilter(RoutingProperties routing) {
		this.maxBytes = routing.maxRequestBodySize().toBytes();
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		long length = exchange.getRequest().getHeaders().getContentLength();
		if (length > this.maxBytes) {
			return Mono.error(new ResponseStatusException(HttpStatus.CONTENT_TOO_LARGE));
		}
		if (length >= 0) {
			// HTTP framing holds the body to its declared length
			return chain.filter(exchange);
		}
		return chain.filter(exchange.mutate().request(new LimitedBodyRequest(exchange.getRequest())).build());
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 20;
	}

	/**
	 * A request whose body (sent in chunks, of unknown length) fails past the limit.
	 */
	private final class LimitedBodyRequest extends ServerHttpRequestDecorator {

		LimitedBodyRequest(ServerHttpRequest delegate) {
			super(delegate);
		}

		@Override
		public Flux<DataBuffer> getBody() {
			AtomicLong received = new AtomicLong();
			return super.getBody().handle((buffer, sink) -> {
				if (received.addAndGet(buffer.readableByteCount()) > RequestBodyLimitWebFilter.this.maxBytes) {
					DataBufferUtils.release(buffer);
					sink.error(new ResponseStatusException(HttpStatus.CONTENT_TOO_LARGE));
				}
				else {
					sink.next(buffer);
				}
			});
		}

	}

}
