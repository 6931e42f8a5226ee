package io.github.visitcounter.counter;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;

/**
 * A throwaway Redis for the tests and for {@link TestCounterServiceApplication}.
 */
@TestConfiguration(proxyBeanMethods = false)
class ContainersConfiguration {

	@Bean
	@ServiceConnection(name = "redis")
	GenericContainer<?> redisContainer() {
		return new GenericContainer<>(DockerImageName.parse("redis:8.2")).withExposedPorts(6379);
	}

}
