package io.github.visitcounter.gateway.routing;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.RequestData;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.factory.RetryGatewayFilterFactory;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.cloud.loadbalancer.core.DelegatingServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;

/**
 * Sends a retried request to another replica than those it already failed on. Round robin
 * alone does not: its position is shared by all requests, so under concurrency a retry
 * can land on the replica that just failed, again and again. Spring Cloud LoadBalancer's
 * {@code RetryAwareServiceInstanceListSupplier} avoids the previous instance only for its
 * own retries, not for the gateway's retry filter.
 * <p>
 * Two halves of one unit: a global filter that records, in the request's attributes, each
 * replica an attempt failed on, and the load balancer's supplier that leaves those out
 * (unless none would be left). The attribute is private to this class. The filter also
 * counts retries, and ends a failed attempt's client span so that a trace shows every
 * attempt.
 */
public final class Failover {

	private static final String FAILED_REPLICAS = Failover.class.getName() + ".failedReplicas";

	private Failover() {
	}

	/**
	 * Records the replica an attempt failed on, and counts retries in
	 * {@code gateway.retries}, by route.
	 * @param order right after the load balancer's filter, which chooses the replica
	 * @param meters where the retries are counted
	 * @return the global filter
	 */
	static GlobalFilter filter(int order, MeterRegistry meters) {
		return new RecordingFilter(order, meters);
	}

	/**
	 * Leaves out of the delegate's instances those this request already failed on.
	 * @param delegate the healthy replicas in rotation order
	 * @return the supplier the load balancer chooses from
	 */
	public static ServiceInstanceListSupplier avoidingFailedReplicas(ServiceInstanceListSupplier delegate) {
		return new DelegatingServiceInstanceListSupplier(delegate) {

			@Override
			public Flux<List<ServiceInstance>> get() {
				return getDelegate().get();
			}

			@Override
			public Flux<List<ServiceInstance>> get(Request request) {
				Set<String> failed = failedReplicas(request);
				if (failed.isEmpty()) {
					return getDelegate().get(request);
				}
				return getDelegate().get(request).map((instances) -> {
					List<ServiceInstance> others = instances.stream()
						.filter((instance) -> !failed.contains(instance.getInstanceId()))
						.toList();
					return others.isEmpty() ? instances : others;
				});
			}

		};
	}

	private record RecordingFilter(int order, MeterRegistry meters) implements GlobalFilter, Ordered {

		@Override
		public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
			return Mono.defer(() -> {
				// The retry filter numbers each attempt once it has ended: any number
				// means
				// this one is a retry (deferred, since a retry subscribes again)
				Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
				if (exchange.getAttribute(RetryGatewayFilterFactory.RETRY_ITERATION_KEY) != null && route != null) {
					this.meters.counter("gateway.retries", "routeId", route.getId()).increment();
				}
				return chain.filter(exchange);
			}).doOnError((ex) -> { // The attempt's client span: Spring Cloud Gateway ends
									// it only when the
				// whole request fails, so a retried attempt would never be reported
				Observation span = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_OBSERVATION_ATTR);
				if (span != null) {
					exchange.getAttributes().remove(ServerWebExchangeUtils.GATEWAY_OBSERVATION_ATTR);
					span.error(ex).stop();
				}
				Response<ServiceInstance> chosen = exchange
					.getAttribute(ServerWebExchangeUtils.GATEWAY_LOADBALANCER_RESPONSE_ATTR);
				if (chosen != null && chosen.hasServer()) {
					Set<String> failed = exchange.getAttributeOrDefault(FAILED_REPLICAS, new HashSet<>());
					failed.add(chosen.getServer().getInstanceId());
					exchange.getAttributes().put(FAILED_REPLICAS, failed);
				}
			});
		}

		@Override
		public int getOrder() {
			return this.order;
		}

	}

	// The load balancer's request carries a copy of the exchange's attributes
	@SuppressWarnings("unchecked")
	private static Set<String> failedReplicas(Request request) {
		if (request.getContext() instanceof RequestDataContext context) {
			RequestData clientRequest = context.getClientRequest();
			Map<String, Object> attributes = (clientRequest != null) ? clientRequest.getAttributes() : null;
			if (attributes != null) {
				return (Set<String>) attributes.getOrDefault(FAILED_REPLICAS, Set.of());
			}
		}
		return Set.of();
	}

}
