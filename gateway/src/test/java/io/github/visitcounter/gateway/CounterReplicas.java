package io.github.visitcounter.gateway;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.github.visitcounter.gateway.discovery.HostResolver;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.util.TestSocketUtils;

/**
 * Three counter replicas on 127.0.0.2, .3 and .4, sharing one public and one management
 * port as Compose replicas do on their own addresses.
 */
final class CounterReplicas implements AutoCloseable {

	private final List<CounterReplica> replicas = List.of(new CounterReplica("backend-1", "127.0.0.2"),
			new CounterReplica("backend-2", "127.0.0.3"), new CounterReplica("backend-3", "127.0.0.4"));

	private final int port;

	private final int managementPort;

	private CounterReplicas() {
		CounterReplica first = this.replicas.get(0);
		first.revive(0, 0);
		this.port = first.port();
		this.managementPort = first.managementPort();
		reviveAll();
	}

	static CounterReplicas start() {
		return new CounterReplicas();
	}

	CounterReplica get(int index) {
		return this.replicas.get(index);
	}

	List<CounterReplica> all() {
		return this.replicas;
	}

	int port() {
		return this.port;
	}

	int managementPort() {
		return this.managementPort;
	}

	/**
	 * Points the gateway at these replicas, and gives it a management port of its own: a
	 * fixed one, as in production, so that Spring Cloud Gateway tells it apart from the
	 * public port (it cannot when the port is 0).
	 * @param registry the test's dynamic properties
	 * @param gatewayManagementPort a free port for the gateway's management server
	 */
	void configure(DynamicPropertyRegistry registry, int gatewayManagementPort) {
		registry.add("gateway.counter.port", this::port);
		registry.add("spring.cloud.loadbalancer.health-check.port", this::managementPort);
		registry.add("management.server.port", () -> gatewayManagementPort);
	}

	static int freePort() {
		return TestSocketUtils.findAvailableTcpPort();
	}

	/** Every replica up, ready and answering, with fresh counts. */
	void reviveAll() {
		this.replicas.forEach((replica) -> replica.revive(this.port, this.managementPort));
	}

	void revive(CounterReplica replica) {
		replica.revive(this.port, this.managementPort);
	}

	int requests() {
		return this.replicas.stream().mapToInt(CounterReplica::requests).sum();
	}

	int posts() {
		return this.replicas.stream().mapToInt(CounterReplica::posts).sum();
	}

	@Override
	public void close() {
		this.replicas.forEach(CounterReplica::kill);
	}

	/**
	 * Resolves the counter's name to the three addresses, shuffled as Docker's DNS
	 * answers.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class Dns {

		@Bean
		HostResolver counterResolver() {
			return (host) -> {
				List<InetAddress> addresses = new ArrayList<>();
				for (String address : List.of("127.0.0.2", "127.0.0.3", "127.0.0.4")) {
					addresses.add(InetAddress.ofLiteral(address));
				}
				Collections.shuffle(addresses);
				return addresses;
			};
		}

	}

}
