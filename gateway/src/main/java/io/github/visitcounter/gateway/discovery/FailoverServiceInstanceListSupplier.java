package io.github.visitcounter.gateway.discovery;

import java.util.List;
import java.util.Set;

import reactor.core.publisher.Flux;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.RequestData;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.cloud.loadbalancer.core.DelegatingServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;

/**
 * Leaves out the replicas a request has already failed on (see
 * {@link FailedReplicaFilter}), unless that would leave none, so that a retry goes to
 * another replica.
 */
class FailoverServiceInstanceListSupplier extends DelegatingServiceInstanceListSupplier {

	FailoverServiceInstanceListSupplier(ServiceInstanceListSupplier delegate) {
		super(delegate);
	}

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

	private static Set<String> failedReplicas(Request request) {
		if (request.getContext() instanceof RequestDataContext context) {
			RequestData clientRequest = context.getClientRequest();
			if (clientRequest != null && clientRequest.getAttributes() != null) {
				return FailedReplicaFilter.failedReplicas(clientRequest.getAttributes());
			}
		}
		return Set.of();
	}

}
