package io.github.visitcounter.gateway.system;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.web.WebProperties;
import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.webflux.autoconfigure.error.AbstractErrorWebExceptionHandler;
import org.springframework.boot.webflux.error.ErrorAttributes;
import org.springframework.context.ApplicationContext;
import org.springframework.core.annotation.Order;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.util.HtmlUtils;

/**
 * The one place where failures become responses, on Boot's seam for it: a line for curl,
 * a {@link ProblemDetail} for JSON clients, a small page for browsers, chosen from
 * {@code Accept} by the same rule as the counter's ({@link AcceptHeader}). Ahead of
 * Boot's default handler, so no stack trace, exception message or Whitelabel page reaches
 * a client.
 */
@Component
@Order(-2)
class GatewayErrorWebExceptionHandler extends AbstractErrorWebExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(GatewayErrorWebExceptionHandler.class);

	private static final List<MediaType> OFFERED = List.of(MediaType.TEXT_PLAIN, MediaType.APPLICATION_PROBLEM_JSON,
			MediaType.APPLICATION_JSON, MediaType.TEXT_HTML);

	GatewayErrorWebExceptionHandler(ErrorAttributes errorAttributes, WebProperties web, ApplicationContext context,
			ServerCodecConfigurer codecs) {
		super(errorAttributes, web.getResources(), context);
		setMessageReaders(codecs.getReaders());
		setMessageWriters(codecs.getWriters());
	}

	@Override
	protected RouterFunction<ServerResponse> getRoutingFunction(ErrorAttributes errorAttributes) {
		return RouterFunctions.route(RequestPredicates.all(), this::render);
	}

	private Mono<ServerResponse> render(ServerRequest request) {
		Failure failure = Failure.of(getError(request));
		Map<String, @Nullable Object> error = getErrorAttributes(request, ErrorAttributeOptions.defaults());
		// Headers a replica sent before it failed would describe another body
		request.exchange().getResponse().getHeaders().clear();
		ServerResponse.BodyBuilder response = ServerResponse.status(failure.status())
			.headers((headers) -> headers.addAll(failure.headers()))
			.cacheControl(CacheControl.noStore());
		MediaType type = representation(request);
		if (MediaType.TEXT_HTML.equals(type)) {
			return response.contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
				.bodyValue(page(failure));
		}
		if (MediaType.TEXT_PLAIN.equals(type)) {
			return response.contentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8))
				.bodyValue(failure.line() + "\n");
		}
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(failure.status(), failure.detail());
		problem.setTitle(failure.status().getReasonPhrase());
		problem.setInstance(instance(error.get("path")));
		return response.contentType(MediaType.APPLICATION_PROBLEM_JSON).bodyValue(problem);
	}

	private static MediaType representation(ServerRequest request) {
		try {
			return AcceptHeader.of(request.headers().asHttpHeaders()).choose(OFFERED).orElse(MediaType.TEXT_PLAIN);
		}
		catch (RuntimeException ex) {
			// The Accept header itself may be what failed
			return MediaType.TEXT_PLAIN;
		}
	}

	private static @Nullable URI instance(@Nullable Object path) {
		try {
			return (path != null) ? URI.create(path.toString()) : null;
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private static String page(Failure failure) {
		String title = HtmlUtils.htmlEscape(failure.status().value() + " " + failure.status().getReasonPhrase());
		return """
				<!DOCTYPE html>
				<html lang="en">
				<head><meta charset="utf-8"><title>%s</title></head>
				<body><h1>%s</h1><p>%s</p></body>
				</html>
				""".formatted(title, title, HtmlUtils.htmlEscape(failure.detail()));
	}

	@Override
	protected void logError(ServerRequest request, ServerResponse response, Throwable throwable) {
		RequestLogContext.log(request.exchange(), () -> log(request, response.statusCode().value(), throwable));
	}

	private void log(ServerRequest request, int status, Throwable throwable) {
		String summary = request.method() + " " + request.requestPath().value();
		if (status == 500) {
			logger.error("{} failed", summary, throwable);
		}
		else if (status == 502 || status == 504) {
			logger.warn("{} answered {}: {}", summary, status, throwable.toString());
		}
		else {
			// 503 repeats for every request while no replica is up, 4xx for every bad
			// one: the metrics and the access log count them
			logger.debug("{} answered {}: {}", summary, status, throwable.toString());
		}
	}

}
