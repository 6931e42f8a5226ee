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
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Refuses request bodies over {@code gateway.edge.max-request-body-size} with 413: at
 * once when {@code Content-Length} says so, and else as the body arrives, streamed or
 * not. The retry filter makes the gateway hold a retried route's whole request body in
 * memory, before any route filter runs, so the {@code RequestSize} filter would come too
 * late.
 */
class RequestBodyLimitWebFilter implements WebFilter, Ordered {

	private final int order;

	private final long maxBytes;

	RequestBodyLimitWebFilter(int order, DataSize maxRequestBodySize) {
		this.order = order;
		this.maxBytes = maxRequestBodySize.toBytes();
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		if (request.getHeaders().getContentLength() > this.maxBytes) {
			return Mono.error(new ResponseStatusException(HttpStatus.CONTENT_TOO_LARGE));
		}
		return chain.filter(exchange.mutate().request(new LimitedBodyRequest(request)).build());
	}

	@Override
	public int getOrder() {
		return this.order;
	}

	/**
	 * A request whose body fails once it goes past the limit.
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
