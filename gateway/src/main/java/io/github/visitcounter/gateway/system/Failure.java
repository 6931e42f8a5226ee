package io.github.visitcounter.gateway.system;

import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.ResponseStatusException;

/**
 * What a client is told about a failure: a status, one sentence written here (never an
 * exception's message), and the headers the status calls for ({@code Allow},
 * {@code Retry-After}). The same sentences as the counter's for the same statuses.
 *
 * @param status the response status
 * @param detail one sentence for the client
 * @param headers headers the status calls for
 */
record Failure(HttpStatus status, String detail, HttpHeaders headers) {

	static final String NO_REPLICA = "no counter replica is available; try again shortly.";

	static final String REPLICA_TOO_SLOW = "the counter replica did not answer in time; try again shortly.";

	static final String REPLICA_HUNG_UP = "the counter replica closed the connection before answering.";

	static Failure of(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof ResponseStatusException statusException) {
				return fromStatus(statusException);
			}
			// Reactor Netty's request timeout (gateway.edge.request-body-timeout); its
			// class is package-private
			if (cause.getClass().getName().equals("reactor.netty.http.server.RequestTimeoutException")) {
				return of(HttpStatus.REQUEST_TIMEOUT, "the request's body took too long.");
			}
			if (cause instanceof ConnectException || cause instanceof TimeoutException) {
				return of(HttpStatus.SERVICE_UNAVAILABLE, NO_REPLICA);
			}
			if (cause instanceof IOException) {
				return of(HttpStatus.BAD_GATEWAY, REPLICA_HUNG_UP);
			}
		}
		return of(HttpStatus.INTERNAL_SERVER_ERROR, "something went wrong on our side; it has been logged.");
	}

	/**
	 * The whole answer on one line, as curl shows it.
	 * @return for instance {@code 404 Not Found: there is nothing at this address.}
	 */
	String line() {
		return this.status.value() + " " + this.status.getReasonPhrase() + ": " + this.detail;
	}

	private static Failure fromStatus(ResponseStatusException ex) {
		HttpStatus status = HttpStatus.resolve(ex.getStatusCode().value());
		if (status == null) {
			status = HttpStatus.INTERNAL_SERVER_ERROR;
		}
		if (ex instanceof Refusal refusal) {
			return new Failure(status, refusal.sentence(), HttpHeaders.EMPTY);
		}
		if (ex instanceof MethodNotAllowedException notAllowed) {
			return new Failure(status, "this address allows only "
					+ notAllowed.getSupportedMethods().stream().map(HttpMethod::name).collect(Collectors.joining(", "))
					+ ".", ex.getHeaders());
		}
		return switch (status) {
			case BAD_REQUEST ->
				of(status, "the request could not be understood; check its headers (for example Accept).");
			case NOT_FOUND -> of(status, "there is nothing at this address.");
			case CONTENT_TOO_LARGE -> of(status, "the request is too large.");
			case NOT_IMPLEMENTED -> of(status, "this method is not implemented here.");
			// the gateway's own "no instance" is a 503 too
			case SERVICE_UNAVAILABLE -> of(status, NO_REPLICA);
			case GATEWAY_TIMEOUT -> of(status, REPLICA_TOO_SLOW);
			default -> of(status, status.is4xxClientError() ? "the request was refused."
					: "something went wrong on our side; it has been logged.");
		};
	}

	private static Failure of(HttpStatus status, String detail) {
		HttpHeaders headers = new HttpHeaders();
		if (status == HttpStatus.SERVICE_UNAVAILABLE) {
			headers.set(HttpHeaders.RETRY_AFTER, "1");
		}
		return new Failure(status, detail, HttpHeaders.readOnlyHttpHeaders(headers));
	}

}
