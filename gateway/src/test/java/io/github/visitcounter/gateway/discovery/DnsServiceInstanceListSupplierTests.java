package io.github.visitcounter.gateway.discovery;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.client.ServiceInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(OutputCaptureExtension.class)
class DnsServiceInstanceListSupplierTests {

	private static final Duration REFRESH = Duration.ofMillis(20);

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	/**
	 * What the name resolves to, shuffled on every answer as Docker does; null: it does
	 * not resolve.
	 */
	private volatile List<String> addresses;

	private final AtomicInteger resolutions = new AtomicInteger();

	private final DnsServiceInstanceListSupplier supplier = new DnsServiceInstanceListSupplier("counter",
			new CounterProperties("counter", 8080, "http", REFRESH), this::resolve);

	@Test
	void publishesOneInstancePerAddressInAddressOrder() {
		this.addresses = List.of("10.0.0.12", "10.0.0.9", "10.0.0.10");
		StepVerifier.create(start()).assertNext((instances) -> {
			assertThat(ids(instances)).containsExactly("10.0.0.9:8080", "10.0.0.10:8080", "10.0.0.12:8080");
			assertThat(instances).allSatisfy((instance) -> {
				assertThat(instance.getServiceId()).isEqualTo("counter");
				assertThat(instance.getPort()).isEqualTo(8080);
				assertThat(instance.isSecure()).isFalse();
			});
			assertThat(instances.get(0).getUri()).hasToString("http://10.0.0.9:8080");
		}).thenCancel().verify(TIMEOUT);
	}

	@Test
	void followsScalingUpAndDown() {
		this.addresses = List.of("10.0.0.2", "10.0.0.3");
		StepVerifier.create(start())
			.assertNext((instances) -> assertThat(ids(instances)).containsExactly("10.0.0.2:8080", "10.0.0.3:8080"))
			.then(() -> this.addresses = List.of("10.0.0.4", "10.0.0.2", "10.0.0.3"))
			.assertNext((instances) -> assertThat(ids(instances)).containsExactly("10.0.0.2:8080", "10.0.0.3:8080",
					"10.0.0.4:8080"))
			.then(() -> this.addresses = List.of("10.0.0.4"))
			.assertNext((instances) -> assertThat(ids(instances)).containsExactly("10.0.0.4:8080"))
			.thenCancel()
			.verify(TIMEOUT);
	}

	@Test
	void publishesNothingNewWhileAnswersOnlyChangeOrder() {
		this.addresses = List.of("10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6");
		StepVerifier.create(start())
			.assertNext((instances) -> assertThat(instances).hasSize(5))
			.expectNoEvent(REFRESH.multipliedBy(10))
			.thenCancel()
			.verify(TIMEOUT);
	}

	@Test
	void keepsLastListWhileNameDoesNotResolveAndWarnsOnce(CapturedOutput output) {
		this.addresses = List.of("10.0.0.2", "10.0.0.3");
		StepVerifier.create(start())
			.assertNext((instances) -> assertThat(instances).hasSize(2))
			.then(() -> this.addresses = null)
			.expectNoEvent(REFRESH.multipliedBy(10))
			.then(() -> StepVerifier.create(this.supplier.get())
				.assertNext((instances) -> assertThat(instances).hasSize(2))
				.thenCancel()
				.verify(TIMEOUT))
			.then(() -> this.addresses = List.of("10.0.0.3"))
			.assertNext((instances) -> assertThat(ids(instances)).containsExactly("10.0.0.3:8080"))
			.thenCancel()
			.verify(TIMEOUT);
		assertThat(output.getOut().split("Cannot resolve counter", -1)).hasSize(2);
		assertThat(output.getOut()).contains("counter resolves again");
	}

	@Test
	void publishesEmptyListWhenNameHasNeverResolved() {
		this.addresses = null;
		StepVerifier.create(start())
			.assertNext((instances) -> assertThat(instances).isEmpty())
			.then(() -> this.addresses = List.of("10.0.0.2"))
			.assertNext((instances) -> assertThat(ids(instances)).containsExactly("10.0.0.2:8080"))
			.thenCancel()
			.verify(TIMEOUT);
	}

	@Test
	void replaysLatestListToLateSubscribers() {
		this.addresses = List.of("10.0.0.2");
		StepVerifier.create(start())
			.assertNext((instances) -> assertThat(instances).hasSize(1))
			.then(() -> this.addresses = List.of("10.0.0.2", "10.0.0.3"))
			.assertNext((instances) -> assertThat(instances).hasSize(2))
			.then(() -> StepVerifier.create(this.supplier.get())
				.assertNext((instances) -> assertThat(instances).hasSize(2))
				.thenCancel()
				.verify(TIMEOUT))
			.thenCancel()
			.verify(TIMEOUT);
	}

	@Test
	void stopsResolvingWhenDestroyed() {
		this.addresses = List.of("10.0.0.2");
		StepVerifier.create(start()).expectNextCount(1).thenCancel().verify(TIMEOUT);
		this.supplier.destroy();
		int resolved = this.resolutions.get();
		await().during(REFRESH.multipliedBy(10)).atMost(TIMEOUT).until(() -> this.resolutions.get() == resolved);
	}

	@AfterEach
	void stop() {
		this.supplier.destroy();
	}

	private Flux<List<ServiceInstance>> start() {
		this.supplier.afterPropertiesSet();
		return this.supplier.get();
	}

	private List<InetAddress> resolve(String host) throws UnknownHostException {
		assertThat(host).isEqualTo("counter");
		this.resolutions.incrementAndGet();
		List<String> current = this.addresses;
		if (current == null) {
			throw new UnknownHostException(host);
		}
		List<InetAddress> answer = new ArrayList<>(current.stream().map(InetAddress::ofLiteral).toList());
		Collections.shuffle(answer);
		return answer;
	}

	private static List<String> ids(List<ServiceInstance> instances) {
		return instances.stream().map(ServiceInstance::getInstanceId).toList();
	}

}
