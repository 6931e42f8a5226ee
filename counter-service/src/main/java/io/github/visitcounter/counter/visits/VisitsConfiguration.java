package io.github.visitcounter.counter.visits;

import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.MethodNotAllowedException;

/**
 * The routes of the visits feature. Other methods on its paths answer 405 with an
 * {@code Allow} header rather than falling through to a 404.
 */
@Configuration(proxyBeanMethods = false)
class VisitsConfiguration {

	@Bean
	RouterFunction<ServerResponse> visitRoutes(VisitsHandler visits) {
		return RouterFunctions.route()
			.GET("/", visits::visit)
			.HEAD("/", visits::describeVisit)
			.GET("/api/visits", visits::current)
			.HEAD("/api/visits", visits::describeCurrent)
			.POST("/api/visits", visits::countVisit)
			// Browsers ask for it with every page; it must not count as a visit
			.route(RequestPredicates.GET("/favicon.ico").or(RequestPredicates.HEAD("/favicon.ico")),
					(request) -> ServerResponse.noContent().build())
			.add(methodNotAllowed("/", HttpMethod.GET, HttpMethod.HEAD))
			.add(methodNotAllowed("/api/visits", HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST))
			.build();
	}

	private static RouterFunction<ServerResponse> methodNotAllowed(String path, HttpMethod... allowed) {
		return RouterFunctions.route(RequestPredicates.path(path),
				(request) -> Mono.error(new MethodNotAllowedException(request.method(), List.of(allowed))));
	}

}
