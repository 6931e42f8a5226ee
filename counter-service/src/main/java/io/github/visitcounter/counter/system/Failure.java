package io.github.visitcounter.counter.system;

import java.util.stream.Collectors;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;

import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.ResponseStatusException;

/**
 * What a client is told about a failure: a status, a short sentence written here (never
 * an exception's message), and headers such as {@code Allow}.
 *
 * @param status the response status
 * @param detail one sentence for the client
 * @param headers headers the status calls for
 * @param kind why it failed, which decides how it is logged
 */
record Failure(HttpStatusCode status, String detail, HttpHeaders headers, Kind kind) {

	static final String STORE_UNAVAILABLE = "the visit store (Redis) is unreachable; try again shortly.";

	static final String STORE_FULL = "the visit store (Redis) is full: no visit can be counted until it has room again.";

	enum Kind {

		/** The client's request was refused. */
		CLIENT,

		/** Redis failed or timed out. */
		STORE,

		/** Anything else: a bug. */
		UNEXPECTED

	}

	static Failure of(Throwable ex) {
		if (ex instanceof ResponseStatusException statusException) {
			return fromStatus(statusException);
		}
		if (isStoreFull(ex)) {
			return new Failure(HttpStatus.SERVICE_UNAVAILABLE, STORE_FULL, HttpHeaders.EMPTY, Kind.STORE);
		}
		if (isStoreFailure(ex)) {
			return new Failure(HttpStatus.SERVICE_UNAVAILABLE, STORE_UNAVAILABLE, HttpHeaders.EMPTY, Kind.STORE);
		}
		return new Failure(HttpStatus.INTERNAL_SERVER_ERROR, "something went wrong on our side; it has been logged.",
				HttpHeaders.EMPTY, Kind.UNEXPECTED);
	}

	String reasonPhrase() {
		HttpStatus known = HttpStatus.resolve(this.status.value());
		return (known != null) ? known.getReasonPhrase() : "Error";
	}

	/**
	 * The whole answer on one line, as curl shows it.
	 * @return for instance {@code 404 Not Found: there is nothing at this address.}
	 */
	String line() {
		return this.status.value() + " " + reasonPhrase() + ": " + this.detail;
	}

	private static Failure fromStatus(ResponseStatusException ex) {
		HttpStatusCode status = ex.getStatusCode();
		Kind kind = status.is5xxServerError() ? Kind.UNEXPECTED : Kind.CLIENT;
		return new Failure(status, detailFor(ex), ex.getHeaders(), kind);
	}

	private static String detailFor(ResponseStatusException ex) {
		if (ex instanceof MethodNotAllowedException notAllowed) {
			return "this address allows only " + notAllowed.getSupportedMethods()
				.stream()
				.map((method) -> method.name())
				.collect(Collectors.joining(", ")) + ".";
		}
		if (ex instanceof NotAcceptableStatusException notAcceptable) {
			return "this address answers only as " + notAcceptable.getSupportedMediaTypes()
				.stream()
				.map((type) -> type.toString())
				.collect(Collectors.joining(", ")) + ".";
		}
		return switch (ex.getStatusCode().value()) {
			case 400 -> "the request could not be understood; check its headers (for example Accept).";
			case 404 -> "there is nothing at this address.";
			case 413 -> "the request is too large.";
			case 415 -> "that content type is not accepted here.";
			case 503 -> "the service is unavailable; try again shortly.";
			default -> (ex.getStatusCode().is5xxServerError()) ? "something went wrong on our side; it has been logged."
					: "the request was refused.";
		};
	}

	// Redis refuses writes past maxmemory (policy noeviction) instead of evicting
	// the count
	private static boolean isStoreFull(Throwable ex) {
		for (Throwable candidate = ex; candidate != null; candidate = candidate.getCause()) {
			if (candidate instanceof RedisCommandExecutionException && candidate.getMessage() != null
					&& candidate.getMessage().startsWith("OOM ")) {
				return true;
			}
		}
		return false;
	}

	private static boolean isStoreFailure(Throwable ex) {
		for (Throwable candidate = ex; candidate != null; candidate = candidate.getCause()) {
			// Spring Data's translated exceptions, and Lettuce's own that escape it
			if (candidate instanceof DataAccessException || candidate instanceof RedisException) {
				return true;
			}
		}
		return false;
	}

}
