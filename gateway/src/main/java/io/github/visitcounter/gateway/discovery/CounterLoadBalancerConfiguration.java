package io.github.visitcounter.gateway.discovery;

import io.github.visitcounter.gateway.routing.Failover;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * The counter's instances: resolved by DNS, health-checked, put in address order for
 * round robin (the load balancer's default), less those a retried request already failed
 * on ({@link Failover}). No caching supplier: the DNS supplier already publishes only
 * changes.
 * <p>
 * Deliberately not a {@code @Configuration}: {@code LoadBalancerClientFactory} loads it
 * into the counter's own child context, and component scanning must not load it into the
 * main one.
 * <p>
 * Public because Spring AOT generates code that names it from another package.
 */
public class CounterLoadBalancerConfiguration {

	static final String SERVICE_ID = "counter";

	/**
	 * A bean of its own, so that the context starts and stops its resolving (the health
	 * check does not pass {@code destroy()} on to its delegate).
	 * @param counter where the replicas are
	 * @param resolver a resolver if the application has one, else the JVM's
	 * @return the supplier the health check starts from
	 */
	@Bean
	DnsServiceInstanceListSupplier counterAddresses(CounterProperties counter, ObjectProvider<HostResolver> resolver) {
		return new DnsServiceInstanceListSupplier(SERVICE_ID, counter, resolver.getIfAvailable(HostResolver::system));
	}

	/**
	 * The supplier the load balancer uses; primary over the DNS supplier it starts from.
	 * @param context the counter's child context
	 * @param addresses the replicas found by DNS
	 * @return the healthy replicas in address order, less those this request failed on
	 */
	@Bean
	@Primary
	ServiceInstanceListSupplier counterInstances(ConfigurableApplicationContext context,
			DnsServiceInstanceListSupplier addresses) {
		return ServiceInstanceListSupplier.builder()
			.withBase(addresses)
			.withHealthChecks()
			.with((ignored, healthChecked) -> new SortedServiceInstanceListSupplier(healthChecked))
			.with((ignored, sorted) -> Failover.avoidingFailedReplicas(sorted))
			.build(context);
	}

}
