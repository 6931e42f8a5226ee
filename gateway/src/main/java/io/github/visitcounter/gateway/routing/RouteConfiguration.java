package io.github.visitcounter.gateway.routing;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;

import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Every request goes to the counter replicas, round robin. A failed request is retried on
 * the next replica only when that cannot count a visit twice.
 */
@Configuration(proxyBeanMethods = false)
class RouteConfiguration {

	private static final String COUNTER = "lb://counter";

	@Bean
	RouteLocator counterRoutes(RouteLocatorBuilder builder, RoutingProperties routing) {
		return builder.routes()
			// Reads are retried when the connection failed: refused, timed out, or closed
			// by a replica going away; the request id keeps a visit from counting twice.
			// Not after a response timeout, nor on a replica's 5xx (its 503 says its
			// Redis is down).
			.route("counter-reads",
					(route) -> route.order(0)
						.method(HttpMethod.GET, HttpMethod.HEAD)
						.filters((filters) -> filters.retry((retry) -> retry.setRetries(routing.retries())
							.setMethods(HttpMethod.GET, HttpMethod.HEAD)
							.setSeries()
							.setExceptions(IOException.class)))
						.uri(COUNTER))
			// Writes are retried only when no replica can have seen them: the connection
			// was refused or never opened (Netty's ConnectTimeoutException is a
			// ConnectException).
			.route("counter-writes",
					(route) -> route.order(1)
						.alwaysTrue()
						.filters((filters) -> filters.retry((retry) -> retry.setRetries(routing.retries())
							.allMethods()
							.setSeries()
							.setExceptions(ConnectException.class)))
						.uri(COUNTER))
			.build();
	}

	/**
	 * Browsers ask for an icon with every page: answering it here keeps it from taking a
	 * replica's turn in the rotation.
	 * @return a router answering {@code /favicon.ico} with no content
	 */
	@Bean
	RouterFunction<ServerResponse> favicon() {
		return RouterFunctions.route(RequestPredicates.GET("/favicon.ico"),
				(request) -> ServerResponse.noContent().cacheControl(CacheControl.maxAge(Duration.ofDays(7))).build());
	}

}
