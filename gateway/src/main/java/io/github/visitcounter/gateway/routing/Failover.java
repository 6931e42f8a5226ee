package io.github.visitcounter.gateway.routing;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

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
 * counts retries, keeps them within a budget, and ends a failed or cancelled attempt's
 * client span so that a trace shows every attempt.
 */
public final class Failover {

	private static final String FAILED_REPLICAS = Failover.class.getName() + ".failedReplicas";

	// Set by Spring Cloud Gateway's ObservedResponseHttpHeadersFilter once it has stopped
	// the attempt's observation (its constant is package-private)
	private static final String OBSERVATION_STOPPED = "gateway.observation.stopped";

	private static final Observation.Event CANCELLED = Observation.Event.of("cancelled",
			"cancelled: the client went away before the replica answered");

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
		return new RecordingFilter(order, meters, new RetryBudget(() -> System.currentTimeMillis() / 1000));
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

	private record RecordingFilter(int order, MeterRegistry meters,
			RetryBudget budget) implements GlobalFilter, Ordered {

		@Override
		public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
			// Deferred: a retry subscribes again, and the retry filter numbers an attempt
			// once it has ended, so any number means this attempt is a retry
			return Mono.defer(() -> {
				if (exchange.getAttribute(RetryGatewayFilterFactory.RETRY_ITERATION_KEY) == null) {
					this.budget.request();
				}
				else {
					this.budget.retry();
					Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
					this.meters.counter("gateway.retries", "routeId", (route != null) ? route.getId() : "none")
						.increment();
				}
				return chain.filter(exchange);
			})
				.doOnError((ex) -> failed(exchange, ex))
				.doOnCancel(() -> cancelled(exchange))
				.onErrorMap((ex) -> this.budget.spent(), RetryBudgetSpent::new);
		}

		private void failed(ServerWebExchange exchange, Throwable ex) {
			// Spring Cloud Gateway ends the attempt's client span only when the whole
			// request fails: a retried attempt's would never be reported
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
		}

		// The client went away before the replica's answer began. Spring Cloud Gateway
		// stops the attempt's observation only when the answer's headers arrive or the
		// request fails (spring-cloud-gateway#3609): a cancelled one stays open for
		// good, in gateway.replica.requests.active, and its span is never reported.
		private void cancelled(ServerWebExchange exchange) {
			Observation span = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_OBSERVATION_ATTR);
			if (span != null && exchange.getAttribute(OBSERVATION_STOPPED) == null) {
				exchange.getAttributes().remove(ServerWebExchangeUtils.GATEWAY_OBSERVATION_ATTR);
				span.event(CANCELLED).stop();
			}
		}

		@Override
		public int getOrder() {
			return this.order;
		}

	}

	/**
	 * At most a fifth of the attempts of the last ten seconds are retries, and ten a
	 * second whatever the load (Envoy's retry budget, which Spring Cloud Gateway's retry
	 * filter lacks). One slow or paused replica takes far less; when every replica is
	 * slow, retrying each timed-out read would multiply the load that made them slow.
	 */
	static final class RetryBudget {

		private static final int SECONDS = 10;

		private static final double SHARE = 0.2;

		private static final int FLOOR = 10 * SECONDS;

		// One slot a second: the second it counts, its first attempts and its retries
		private final AtomicLongArray seconds = new AtomicLongArray(SECONDS);

		private final AtomicLongArray requests = new AtomicLongArray(SECONDS);

		private final AtomicLongArray retries = new AtomicLongArray(SECONDS);

		private final LongSupplier clock;

		RetryBudget(LongSupplier epochSeconds) {
			this.clock = epochSeconds;
		}

		void request() {
			this.requests.incrementAndGet(slot());
		}

		void retry() {
			this.retries.incrementAndGet(slot());
		}

		/** Whether the retries of the last ten seconds have used up the budget. */
		boolean spent() {
			long now = this.clock.getAsLong();
			long requests = 0;
			long retries = 0;
			for (int i = 0; i < SECONDS; i++) {
				if (now - this.seconds.get(i) < SECONDS) {
					requests += this.requests.get(i);
					retries += this.retries.get(i);
				}
			}
			return retries >= Math.max(FLOOR, SHARE * (requests + retries));
		}

		private int slot() {
			long now = this.clock.getAsLong();
			int slot = (int) (now % SECONDS);
			long counted = this.seconds.get(slot);
			if (counted != now && this.seconds.compareAndSet(slot, counted, now)) {
				this.requests.set(slot, 0);
				this.retries.set(slot, 0);
			}
			return slot;
		}

	}

	/**
	 * A failure not to retry: the retry budget is spent. Its cause says how the attempt
	 * failed, for the answer the client gets.
	 */
	static final class RetryBudgetSpent extends RuntimeException {

		RetryBudgetSpent(Throwable cause) {
			super("retry budget spent", cause, false, false);
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
