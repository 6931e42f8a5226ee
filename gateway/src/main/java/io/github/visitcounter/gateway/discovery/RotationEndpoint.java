package io.github.visitcounter.gateway.discovery;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/rotation} on the management port: the replicas the gateway sends
 * requests to right now, as {@code address:port}, so that a rollout can wait until a new
 * replica is in the rotation before it stops an old one. Spring Cloud LoadBalancer has no
 * endpoint of its own for this.
 */
@Component
@Endpoint(id = "rotation")
class RotationEndpoint {

	private final LoadBalancerClientFactory loadBalancers;

	RotationEndpoint(LoadBalancerClientFactory loadBalancers) {
		this.loadBalancers = loadBalancers;
	}

	@ReadOperation
	Mono<Map<String, List<String>>> rotation() {
		ServiceInstanceListSupplier counter = this.loadBalancers
			.getInstance(CounterLoadBalancerConfiguration.SERVICE_ID, ServiceInstanceListSupplier.class);
		return counter.get()
			.next()
			.timeout(Duration.ofSeconds(2), Mono.just(List.of()))
			.map((instances) -> Map.of(CounterLoadBalancerConfiguration.SERVICE_ID,
					instances.stream().map(ServiceInstance::getInstanceId).toList()));
	}

}
