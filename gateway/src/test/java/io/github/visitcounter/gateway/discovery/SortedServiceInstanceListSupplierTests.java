package io.github.visitcounter.gateway.discovery;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SortedServiceInstanceListSupplierTests {

	private final HealthCheckLike healthChecked = new HealthCheckLike(
			List.of(instance("10.0.0.10"), instance("10.0.0.9"), instance("10.0.0.100")));

	private final SortedServiceInstanceListSupplier supplier = new SortedServiceInstanceListSupplier(
			this.healthChecked);

	@AfterEach
	void stop() throws Exception {
		this.supplier.destroy();
	}

	@Test
	void putsInstancesInAddressOrder() throws Exception {
		this.supplier.afterPropertiesSet();
		StepVerifier.create(this.supplier.get().next())
			.assertNext((instances) -> assertThat(instances).extracting(ServiceInstance::getHost)
				.containsExactly("10.0.0.9", "10.0.0.10", "10.0.0.100"))
			.verifyComplete();
	}

	@Test
	void stopsItsDelegateWhenDestroyedAfterRequestsTookOneListEach() throws Exception {
		this.supplier.afterPropertiesSet();
		for (int i = 0; i < 20; i++) {
			StepVerifier.create(this.supplier.get().next()).expectNextCount(1).verifyComplete();
		}
		this.supplier.destroy();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.healthChecked.rounds.get() > 0);
		int rounds = this.healthChecked.rounds.get();
		await().during(Duration.ofMillis(200))
			.atMost(Duration.ofSeconds(5))
			.until(() -> this.healthChecked.rounds.get() == rounds);
	}

	private static ServiceInstance instance(String address) {
		return new DefaultServiceInstance(address + ":8080", "counter", address, 8080, false);
	}

	/**
	 * Publishes like {@code HealthCheckServiceInstanceListSupplier}: rounds every few
	 * milliseconds through {@code replay(1).refCount(1)}, subscribed from start to
	 * destroy.
	 */
	private static final class HealthCheckLike
			implements ServiceInstanceListSupplier, InitializingBean, DisposableBean {

		private final AtomicInteger rounds = new AtomicInteger();

		private final Flux<List<ServiceInstance>> replay;

		private Disposable subscription;

		HealthCheckLike(List<ServiceInstance> instances) {
			this.replay = Flux.interval(Duration.ofMillis(10))
				.doOnNext((round) -> this.rounds.incrementAndGet())
				.map((round) -> instances)
				.replay(1)
				.refCount(1);
		}

		@Override
		public String getServiceId() {
			return "counter";
		}

		@Override
		public Flux<List<ServiceInstance>> get() {
			return this.replay;
		}

		@Override
		public void afterPropertiesSet() {
			this.subscription = this.replay.subscribe();
		}

		@Override
		public void destroy() {
			this.subscription.dispose();
		}

	}

}
