package io.github.visitcounter.gateway.system;

import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * What a client is told about a failure: a status and, for the failures a client can act
 * on, one sentence. Never the exception's own message.
 *
 * @param status the response status
 * @param detail a sentence for the client, or {@code null} when the status says it all
 */
record Failure(HttpStatus status, @Nullable String detail) {

	static final String NO_REPLICA = "no counter replica is available; try again shortly.";

	static final String REPLICA_TOO_SLOW = "the counter replica did not answer in time; try again shortly.";

	static final String REPLICA_HUNG_UP = "the counter replica closed the connection before answering.";

	static Failure of(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof ResponseStatusException statusException) {
				HttpStatus status = HttpStatus.resolve(statusException.getStatusCode().value());
				return of((status != null) ? status : HttpStatus.INTERNAL_SERVER_ERROR);
			}
			if (cause instanceof ConnectException || cause instanceof TimeoutException) {
				return of(HttpStatus.SERVICE_UNAVAILABLE);
			}
			if (cause instanceof IOException) {
				return new Failure(HttpStatus.BAD_GATEWAY, REPLICA_HUNG_UP);
			}
		}
		return of(HttpStatus.INTERNAL_SERVER_ERROR);
	}

	private static Failure of(HttpStatus status) {
		return switch (status) {
			// the gateway's own "no instance" is a 503 too
			case SERVICE_UNAVAILABLE -> new Failure(status, NO_REPLICA);
			case GATEWAY_TIMEOUT -> new Failure(status, REPLICA_TOO_SLOW);
			default -> new Failure(status, null);
		};
	}

	/**
	 * The failure in one line, as curl users read it.
	 * @return e.g. {@code 503 Service Unavailable: no counter replica is available; ...}
	 */
	String sentence() {
		String summary = this.status.value() + " " + this.status.getReasonPhrase();
		return (this.detail != null) ? summary + ": " + this.detail : summary;
	}

}
