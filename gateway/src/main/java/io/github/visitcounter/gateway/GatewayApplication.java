package io.github.visitcounter.gateway;

import java.security.Security;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Starts the gateway.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GatewayApplication {

	public static void main(String[] args) {
		// Replicas come and go: the JVM's DNS cache must neither hide them nor remember
		// that a name did not resolve. Set before anything resolves a name.
		Security.setProperty("networkaddress.cache.ttl", "1");
		Security.setProperty("networkaddress.cache.negative.ttl", "0");
		SpringApplication.run(GatewayApplication.class, args);
	}

}
