package io.github.visitcounter.counter.system;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.Ordered;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.result.view.ViewResolver;
import org.springframework.web.server.ServerWebExchange;

/**
 * The one place where failures become responses, in the representation the client
 * accepts: a {@link ProblemDetail} for JSON clients, a line of text for curl, a small
 * page for browsers. It replaces Boot's default handler, so there is no Whitelabel page,
 * and no exception message or stack trace ever reaches a client.
 */
@Component
class ErrorResponseHandler implements ErrorWebExceptionHandler, Ordered {

	private static final Log logger = LogFactory.getLog(ErrorResponseHandler.class);

	private static final List<MediaType> OFFERED = List.of(MediaType.TEXT_PLAIN, MediaType.APPLICATION_PROBLEM_JSON,
			MediaType.APPLICATION_JSON, MediaType.TEXT_HTML);

	private final ServerResponse.Context context;

	private final PageAssets assets;

	ErrorResponseHandler(ServerCodecConfigurer codecs, ObjectProvider<ViewResolver> viewResolvers, PageAssets assets) {
		this.context = new WritingContext(codecs.getWriters(), viewResolvers.orderedStream().toList());
		this.assets = assets;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
		if (exchange.getResponse().isCommitted()) {
			return Mono.error(ex);
		}
		Failure failure = Failure.of(ex);
		RequestLogContext.log(exchange, () -> log(exchange.getRequest(), failure, ex));
		exchange.getResponse().getHeaders().remove(HttpHeaders.CONTENT_TYPE);
		return respond(exchange.getRequest(), failure).flatMap((response) -> response.writeTo(exchange, this.context));
	}

	private Mono<ServerResponse> respond(ServerHttpRequest request, Failure failure) {
		ServerResponse.BodyBuilder builder = ServerResponse.status(failure.status())
			.headers((headers) -> headers.addAll(failure.headers()))
			.cacheControl(CacheControl.noStore());
		MediaType type = representation(request);
		if (MediaType.TEXT_HTML.equals(type)) {
			return builder.contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
				.render("error", Map.of("status", failure.status().value(), "title", failure.reasonPhrase(), "detail",
						failure.detail(), "style", this.assets.style()));
		}
		if (MediaType.TEXT_PLAIN.equals(type)) {
			return builder.contentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8))
				.bodyValue(failure.line() + "\n");
		}
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(failure.status(), failure.detail());
		problem.setTitle(failure.reasonPhrase());
		problem.setInstance(URI.create(request.getURI().getRawPath()));
		return builder.contentType(MediaType.APPLICATION_PROBLEM_JSON).bodyValue(problem);
	}

	private MediaType representation(ServerHttpRequest request) {
		try {
			return AcceptHeader.of(request.getHeaders()).choose(OFFERED).orElse(MediaType.TEXT_PLAIN);
		}
		catch (RuntimeException ex) {
			// The Accept header itself may be what failed
			return MediaType.TEXT_PLAIN;
		}
	}

	private void log(ServerHttpRequest request, Failure failure, Throwable ex) {
		switch (failure.kind()) {
			case STORE -> logger.warn("%s %s: %s (%s)".formatted(request.getMethod(), request.getPath(),
					failure.detail(), NestedExceptionUtils.getMostSpecificCause(ex)));
			case UNEXPECTED -> logger.error("%s %s failed".formatted(request.getMethod(), request.getPath()), ex);
			case CLIENT -> {
				if (logger.isDebugEnabled()) {
					logger.debug("%s %s: %s".formatted(request.getMethod(), request.getPath(), failure.line()));
				}
			}
		}
	}

	@Override
	public int getOrder() {
		// Ahead of WebFlux's own ResponseStatusException handler (order 0)
		return -2;
	}

	private record WritingContext(List<HttpMessageWriter<?>> messageWriters,
			List<ViewResolver> viewResolvers) implements ServerResponse.Context {

	}

}
