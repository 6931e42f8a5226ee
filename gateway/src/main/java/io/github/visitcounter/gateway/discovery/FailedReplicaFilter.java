package io.github.visitcounter.gateway.discovery;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import reactor.core.publisher.Mono;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.ReactiveLoadBalancerClientFilter;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * Remembers, for one request, each replica an attempt failed on, so that
 * {@link FailoverServiceInstanceListSupplier} sends its retries elsewhere. Round robin
 * alone does not: its position is shared by all requests, so under concurrency a retry
 * can land on the replica that just failed, again and again.
 */
@Component
class FailedReplicaFilter implements GlobalFilter, Ordered {

	private static final String FAILED_REPLICAS = FailedReplicaFilter.class.getName() + ".failedReplicas";

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		return chain.filter(exchange).doOnError((ex) -> {
			Response<ServiceInstance> chosen = exchange
				.getAttribute(ServerWebExchangeUtils.GATEWAY_LOADBALANCER_RESPONSE_ATTR);
			if (chosen != null && chosen.hasServer()) {
				Set<String> failed = exchange.getAttributeOrDefault(FAILED_REPLICAS, new HashSet<>());
				failed.add(chosen.getServer().getInstanceId());
				exchange.getAttributes().put(FAILED_REPLICAS, failed);
			}
		});
	}

	/**
	 * Right after the load balancer has chosen a replica.
	 */
	@Override
	public int getOrder() {
		return ReactiveLoadBalancerClientFilter.LOAD_BALANCER_CLIENT_FILTER_ORDER + 1;
	}

	@SuppressWarnings("unchecked")
	static Set<String> failedReplicas(Map<String, Object> requestAttributes) {
		return (Set<String>) requestAttributes.getOrDefault(FAILED_REPLICAS, Set.of());
	}

}
