package io.github.visitcounter.gateway.discovery;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.DelegatingServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;

/**
 * Puts the instances of its delegate in address order: the health check lists replicas in
 * the order their checks answer, and {@code RoundRobinLoadBalancer} only rotates strictly
 * over a list whose order holds still.
 * <p>
 * It subscribes to the delegate once and replays the latest sorted list itself. Were
 * every request to subscribe to the health check's {@code replay(1).refCount(1)} and
 * cancel at once (as the load balancer's {@code next()} does), reactor-core 3.8 would
 * never disconnect it (reactor/reactor-core#4387), and health checks would outlive the
 * application context.
 */
class SortedServiceInstanceListSupplier extends DelegatingServiceInstanceListSupplier {

	private static final Logger logger = LoggerFactory.getLogger(SortedServiceInstanceListSupplier.class);

	static final Comparator<ServiceInstance> ADDRESS_ORDER = Comparator
		.comparing(SortedServiceInstanceListSupplier::addressBytes, Arrays::compareUnsigned)
		.thenComparingInt(ServiceInstance::getPort);

	private final Sinks.Many<List<ServiceInstance>> latest = Sinks.many().replay().latest();

	private @Nullable Disposable sorting;

	SortedServiceInstanceListSupplier(ServiceInstanceListSupplier delegate) {
		super(delegate);
	}

	@Override
	public void afterPropertiesSet() throws Exception {
		super.afterPropertiesSet();
		this.sorting = getDelegate().get()
			.map((instances) -> instances.stream().sorted(ADDRESS_ORDER).toList())
			.distinctUntilChanged()
			.doOnNext((instances) -> logger.info("{} replica(s) in rotation: {}", instances.size(),
					instances.stream().map(ServiceInstance::getInstanceId).toList()))
			.subscribe(this.latest::tryEmitNext);
	}

	@Override
	public void destroy() throws Exception {
		if (this.sorting != null) {
			this.sorting.dispose();
		}
		super.destroy();
	}

	@Override
	public Flux<List<ServiceInstance>> get() {
		return this.latest.asFlux();
	}

	private static byte[] addressBytes(ServiceInstance instance) {
		String host = instance.getHost();
		try {
			return InetAddress.ofLiteral(host.replace("[", "").replace("]", "")).getAddress();
		}
		catch (IllegalArgumentException ex) {
			// not an IP literal: any stable order will do
			return host.getBytes(StandardCharsets.UTF_8);
		}
	}

}
