package io.github.visitcounter.counter;

import org.springframework.boot.SpringApplication;

/**
 * Runs the counter from the IDE against a throwaway Redis in Docker.
 */
class TestCounterServiceApplication {

	public static void main(String[] args) {
		SpringApplication.from(CounterServiceApplication::main).with(ContainersConfiguration.class).run(args);
	}

}
