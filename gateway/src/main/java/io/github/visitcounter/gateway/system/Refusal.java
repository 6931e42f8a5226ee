package io.github.visitcounter.gateway.system;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * A request the gateway refuses, with the sentence the client is told why: the only
 * failure whose words come from the code that raised it.
 */
public final class Refusal extends ResponseStatusException {

	private final String sentence;

	public Refusal(HttpStatus status, String sentence) {
		super(status);
		this.sentence = sentence;
	}

	String sentence() {
		return this.sentence;
	}

}
