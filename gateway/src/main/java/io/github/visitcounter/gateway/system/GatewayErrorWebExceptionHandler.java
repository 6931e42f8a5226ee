package io.github.visitcounter.gateway.system;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.core.annotation.Order;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.result.view.ViewResolver;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.HtmlUtils;

/**
 * The one place where failures become responses: a short line for curl, a
 * {@link ProblemDetail} for JSON clients, a small page for browsers. Runs ahead of Boot's
 * default handler, so no stack trace, exception message or Whitelabel page reaches a
 * client.
 */
@Component
@Order(-2)
class GatewayErrorWebExceptionHandler implements ErrorWebExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(GatewayErrorWebExceptionHandler.class);

	private static final MediaType TEXT = new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8);

	private static final MediaType HTML = new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8);

	private final ServerResponse.Context context;

	GatewayErrorWebExceptionHandler(ServerCodecConfigurer codecs) {
		List<HttpMessageWriter<?>> writers = codecs.getWriters();
		this.context = new ServerResponse.Context() {

			@Override
			public List<HttpMessageWriter<?>> messageWriters() {
				return writers;
			}

			@Override
			public List<ViewResolver> viewResolvers() {
				return List.of();
			}

		};
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
		if (exchange.getResponse().isCommitted()) {
			return Mono.error(ex);
		}
		Failure failure = Failure.of(ex);
		log(exchange, failure, ex);
		exchange.getResponse().getHeaders().clear();
		ServerResponse.BodyBuilder response = ServerResponse.status(failure.status())
			.cacheControl(CacheControl.noStore());
		if (failure.status().value() == 503) {
			response.header(HttpHeaders.RETRY_AFTER, "1");
		}
		Mono<ServerResponse> rendered = switch (Representation.of(exchange)) {
			case PAGE -> response.contentType(HTML).bodyValue(page(failure));
			case PROBLEM ->
				response.contentType(MediaType.APPLICATION_PROBLEM_JSON).bodyValue(problem(exchange, failure));
			case LINE -> response.contentType(TEXT).bodyValue(failure.sentence() + "\n");
		};
		return rendered.flatMap((rendering) -> rendering.writeTo(exchange, this.context));
	}

	private void log(ServerWebExchange exchange, Failure failure, Throwable ex) {
		String request = exchange.getRequest().getMethod() + " " + exchange.getRequest().getURI().getRawPath();
		int status = failure.status().value();
		if (status == 500) {
			logger.error("{} failed", request, ex);
		}
		else if (status == 502 || status == 504) {
			logger.warn("{} answered {}: {}", request, status, ex.toString());
		}
		else {
			// 503 repeats for every request while no replica is up: the metrics count
			// it, and the access log lists it when on
			logger.debug("{} answered {}: {}", request, status, ex.toString());
		}
	}

	private ProblemDetail problem(ServerWebExchange exchange, Failure failure) {
		ProblemDetail problem = ProblemDetail.forStatus(failure.status());
		problem.setDetail(failure.detail());
		problem.setInstance(URI.create(exchange.getRequest().getURI().getRawPath()));
		return problem;
	}

	private String page(Failure failure) {
		String title = HtmlUtils.htmlEscape(failure.status().value() + " " + failure.status().getReasonPhrase());
		String detail = (failure.detail() != null) ? "<p>" + HtmlUtils.htmlEscape(failure.detail()) + "</p>" : "";
		return """
				<!DOCTYPE html>
				<html lang="en">
				<head><meta charset="utf-8"><title>%s</title></head>
				<body><h1>%s</h1>%s</body>
				</html>
				""".formatted(title, title, detail);
	}

	/**
	 * The forms a failure takes, chosen by the first specific type the client accepts.
	 */
	enum Representation {

		LINE, PROBLEM, PAGE;

		static Representation of(ServerWebExchange exchange) {
			List<MediaType> accepted;
			try {
				accepted = exchange.getRequest().getHeaders().getAccept();
			}
			catch (InvalidMediaTypeException ex) {
				return LINE;
			}
			for (MediaType type : accepted) {
				if (type.isWildcardType() || type.isWildcardSubtype()) {
					continue;
				}
				if (MediaType.TEXT_HTML.equalsTypeAndSubtype(type)) {
					return PAGE;
				}
				if (MediaType.APPLICATION_JSON.equalsTypeAndSubtype(type) || "json".equals(type.getSubtypeSuffix())) {
					return PROBLEM;
				}
				if (MediaType.TEXT_PLAIN.equalsTypeAndSubtype(type)) {
					return LINE;
				}
			}
			return LINE;
		}

	}

}
