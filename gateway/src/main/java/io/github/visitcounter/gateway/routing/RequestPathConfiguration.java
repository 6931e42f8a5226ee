package io.github.visitcounter.gateway.routing;

import java.net.ConnectException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.ReactiveLoadBalancerClientFilter;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.cloud.gateway.support.RouteMetadataUtils;
import org.springframework.cloud.gateway.support.TimeoutException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.MethodNotAllowedException;

/**
 * The whole request path of the public port, declared here in the order a request meets
 * it. Spring Cloud Gateway, Spring WebFlux and Reactor Netty do the rest; every filter
 * the gateway adds is one bean below.
 * <ol>
 * <li>Connection limits, before HTTP: a cap on open connections, and a deadline for a
 * request's line and headers (Reactor Netty has none; its idle, read and request timeouts
 * are in application.yaml and {@link EdgeProperties}).
 * <li>Web filters, for every request: the access log, then request hygiene, then the body
 * limit.
 * <li>Routes: only what the product serves (the allow-list), to the counter replicas,
 * round robin, with retries where they cannot count a visit twice.
 * <li>Global filters, for routed requests: failover after the load balancer.
 * <li>Headers sent to a replica: the forwarding headers and the request id, then the
 * trace context, with one client span per attempt.
 * <li>What is not routed: the favicon, 405 with {@code Allow} on the product's paths, 404
 * elsewhere (WebFlux's own answer), all through one error handler.
 * </ol>
 */
@Configuration(proxyBeanMethods = false)
class RequestPathConfiguration {

	static final String PAGE = "/";

	static final String API = "/api/visits";

	static final String FAVICON = "/favicon.ico";

	private static final String COUNTER = "lb://counter";

	// 1. Before HTTP: cap connections, and cut clients that trickle a request's head
	@Bean
	WebServerFactoryCustomizer<NettyReactiveWebServerFactory> connectionLimits(EdgeProperties edge) {
		return (factory) -> factory.addServerCustomizers(new ConnectionLimits(edge));
	}

	// 2a. Outermost: one line per public request, with the status the client got
	@Bean
	AccessLogWebFilter accessLog() {
		return new AccessLogWebFilter(Ordered.HIGHEST_PRECEDENCE);
	}

	// 2b. Refuse what no replica should see, before it takes a replica's turn
	@Bean
	RequestHygieneWebFilter requestHygiene() {
		return new RequestHygieneWebFilter(Ordered.HIGHEST_PRECEDENCE + 1);
	}

	// 2c. Bodies are held in memory for retries: cap them, streamed or not
	@Bean
	RequestBodyLimitWebFilter requestBodyLimit(EdgeProperties edge) {
		return new RequestBodyLimitWebFilter(Ordered.HIGHEST_PRECEDENCE + 2, edge.maxRequestBodySize());
	}

	// 3. The allow-list. A retry goes through the load balancer again: another replica
	@Bean
	RouteLocator counterRoutes(RouteLocatorBuilder builder, RoutingProperties routing) {
		return builder.routes()
			// Reads are retried after a failed connection or when a replica does not
			// answer within the per-try timeout (paused, overloaded): the request id
			// makes a retried visit count once. Not on a replica's 5xx: its 503 says
			// that Redis is down.
			.route("visits-read",
					(route) -> route.path(false, PAGE, API)
						.and()
						.method(HttpMethod.GET, HttpMethod.HEAD)
						.filters((filters) -> filters.retry((retry) -> retry.setRetries(routing.retries())
							.setMethods(HttpMethod.GET, HttpMethod.HEAD)
							.setSeries()
							.setExceptions(IOException.class, TimeoutException.class)))
						.metadata(RouteMetadataUtils.RESPONSE_TIMEOUT_ATTR, routing.readTimeout().toMillis())
						.uri(COUNTER))
			// Writes are retried only when no replica can have seen them: the connection
			// was refused or never opened (Netty's ConnectTimeoutException is a
			// ConnectException)
			.route("visits-count",
					(route) -> route.path(false, API)
						.and()
						.method(HttpMethod.POST)
						.filters((filters) -> filters.retry((retry) -> retry.setRetries(routing.retries())
							.setMethods(HttpMethod.POST)
							.setSeries()
							.setExceptions(ConnectException.class)))
						.metadata(RouteMetadataUtils.RESPONSE_TIMEOUT_ATTR, routing.writeTimeout().toMillis())
						.uri(COUNTER))
			.build();
	}

	// 4. Right after the load balancer: a retry avoids the replicas it failed on
	@Bean
	GlobalFilter failover(MeterRegistry meters) {
		return Failover.filter(ReactiveLoadBalancerClientFilter.LOAD_BALANCER_CLIENT_FILTER_ORDER + 1, meters);
	}

	// 5a. Who the client is and the request's id, from the gateway alone; what a client
	// said of forwarding, ids or traces is dropped
	@Bean
	EdgeHeadersFilter edgeHeaders() {
		return new EdgeHeadersFilter(Ordered.LOWEST_PRECEDENCE - 1);
	}

	// 5b. Then Spring Cloud Gateway's observation (lowest precedence) adds the trace
	// context: one client span and timer per attempt, tagged by replica
	@Bean
	ReplicaRequestsObservationConvention replicaRequests() {
		return new ReplicaRequestsObservationConvention();
	}

	// 6. What the gateway answers itself. Routes come first (handler-mapping.order in
	// application.yaml), so these only see requests that no route took.
	@Bean
	RouterFunction<ServerResponse> notRouted() {
		return RouterFunctions.route()
			// Browsers ask for it with every page: answered here, no replica's turn
			.route(RequestPredicates.GET(FAVICON).or(RequestPredicates.HEAD(FAVICON)),
					(request) -> ServerResponse.noContent()
						.cacheControl(CacheControl.maxAge(Duration.ofDays(7)))
						.build())
			.add(methodNotAllowed(PAGE, HttpMethod.GET, HttpMethod.HEAD))
			.add(methodNotAllowed(API, HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST))
			.add(methodNotAllowed(FAVICON, HttpMethod.GET, HttpMethod.HEAD))
			.build();
	}

	private static RouterFunction<ServerResponse> methodNotAllowed(String path, HttpMethod... allowed) {
		return RouterFunctions.route(RequestPredicates.path(path).and(RequestPredicates.methods(allowed).negate()),
				(request) -> Mono.error(new MethodNotAllowedException(request.method(), List.of(allowed))));
	}

}
