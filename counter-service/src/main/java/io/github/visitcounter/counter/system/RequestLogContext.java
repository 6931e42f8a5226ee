package io.github.visitcounter.counter.system;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.TracingObservationHandler.TracingContext;
import org.slf4j.MDC;

import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.web.server.ServerWebExchange;

/**
 * Puts a request's trace and span ids in the MDC around a log line written for it, where
 * Boot's correlation pattern reads them. Reactor's context propagation stays
 * {@code limited} here: propagating into every operator costs a good share of the
 * throughput, and the only lines logged per request are the error handler's. The
 * gateway's class of the same name does the same.
 */
final class RequestLogContext {

	private RequestLogContext() {
	}

	/**
	 * Runs the logging with the request's trace and span ids in the MDC.
	 * @param exchange the request
	 * @param logging what logs
	 */
	static void log(ServerWebExchange exchange, Runnable logging) {
		Span span = span(exchange);
		if (span == null) {
			logging.run();
			return;
		}
		try (MDC.MDCCloseable trace = MDC.putCloseable("traceId", span.context().traceId());
				MDC.MDCCloseable spanId = MDC.putCloseable("spanId", span.context().spanId())) {
			logging.run();
		}
	}

	private static Span span(ServerWebExchange exchange) {
		return ServerRequestObservationContext.findCurrent(exchange.getAttributes())
			.map((context) -> context.<TracingContext>get(TracingContext.class))
			.map(TracingContext::getSpan)
			.orElse(null);
	}

}
