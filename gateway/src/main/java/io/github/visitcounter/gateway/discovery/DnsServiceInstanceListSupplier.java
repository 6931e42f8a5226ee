package io.github.visitcounter.gateway.discovery;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;

/**
 * Lists the counter replicas by resolving one host name to all its addresses, as Docker's
 * embedded DNS answers for a scaled service: one {@link ServiceInstance} per address, so
 * each replica gets its own connection pool and round robin survives keep-alive.
 * <p>
 * Resolves the name every {@code refresh-interval} from start to destroy, off the event
 * loop. Publishes a list only when the set of addresses changes, in address order (Docker
 * shuffles every answer), and replays the latest list to late subscribers. When the name
 * does not resolve it keeps the last list it had.
 */
class DnsServiceInstanceListSupplier implements ServiceInstanceListSupplier, InitializingBean, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(DnsServiceInstanceListSupplier.class);

	private final String serviceId;

	private final CounterProperties counter;

	private final HostResolver resolver;

	private final Sinks.Many<List<ServiceInstance>> latest = Sinks.many().replay().latest();

	private @Nullable Disposable refreshing;

	private volatile List<ServiceInstance> lastKnown = List.of();

	private volatile boolean failing;

	DnsServiceInstanceListSupplier(String serviceId, CounterProperties counter, HostResolver resolver) {
		this.serviceId = serviceId;
		this.counter = counter;
		this.resolver = resolver;
	}

	@Override
	public void afterPropertiesSet() {
		this.refreshing = Flux.interval(Duration.ZERO, this.counter.refreshInterval())
			.onBackpressureDrop()
			.concatMap((tick) -> Mono.fromCallable(this::lookUp).subscribeOn(Schedulers.boundedElastic()), 1)
			.distinctUntilChanged()
			.subscribe(this::publish);
	}

	@Override
	public void destroy() {
		if (this.refreshing != null) {
			this.refreshing.dispose();
		}
	}

	@Override
	public String getServiceId() {
		return this.serviceId;
	}

	@Override
	public Flux<List<ServiceInstance>> get() {
		return this.latest.asFlux();
	}

	private void publish(List<ServiceInstance> instances) {
		logger.info("{} resolves to {} replica(s): {}", this.counter.host(), instances.size(),
				instances.stream().map(ServiceInstance::getInstanceId).toList());
		this.latest.tryEmitNext(instances);
	}

	private List<ServiceInstance> lookUp() {
		String host = this.counter.host();
		try {
			List<ServiceInstance> found = this.resolver.resolve(host)
				.stream()
				.distinct()
				.map(this::toInstance)
				.sorted(SortedServiceInstanceListSupplier.ADDRESS_ORDER)
				.toList();
			if (this.failing) {
				logger.info("{} resolves again", host);
				this.failing = false;
			}
			this.lastKnown = found;
			return found;
		}
		catch (UnknownHostException | RuntimeException ex) {
			if (!this.failing) {
				logger.warn("Cannot resolve {} ({}); keeping the last {} replica(s) until it resolves again", host,
						ex.toString(), this.lastKnown.size());
				this.failing = true;
			}
			return this.lastKnown;
		}
	}

	private ServiceInstance toInstance(InetAddress address) {
		String literal = address.getHostAddress();
		String host = (address instanceof Inet6Address) ? "[" + literal + "]" : literal;
		return new DefaultServiceInstance(literal + ":" + this.counter.port(), this.serviceId, host,
				this.counter.port(), this.counter.secure());
	}

}
