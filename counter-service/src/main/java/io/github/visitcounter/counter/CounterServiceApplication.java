package io.github.visitcounter.counter;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * A visit counter: each replica counts visits in one shared Redis and says which replica
 * served them.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CounterServiceApplication {

	public static void main(String[] args) {
		SpringApplication.run(CounterServiceApplication.class, args);
	}

}
