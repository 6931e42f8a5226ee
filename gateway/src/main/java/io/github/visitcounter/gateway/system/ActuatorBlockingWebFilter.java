package io.github.visitcounter.gateway.system;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

import reactor.core.publisher.Mono;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.UriUtils;

/**
 * Answers 404 to {@code /actuator} on the public port, however it is spelled, so that it
 * is never proxied to a replica; the gateway's own actuator is on the management port.
 * Paths a replica could read differently from the gateway (encoded slashes or
 * backslashes, dot segments) are refused with 400.
 * <p>
 * Web filters apply to the management port too (its child context sees the main one's
 * beans): requests there pass untouched.
 */
@Component
class ActuatorBlockingWebFilter implements WebFilter, Ordered {

	private static final int MAX_DECODING_ROUNDS = 3;

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (WebServerApplicationContext.hasServerNamespace(exchange.getApplicationContext(), "management")) {
			return chain.filter(exchange);
		}
		return switch (judge(exchange.getRequest().getURI().getRawPath())) {
			case ACTUATOR -> Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND));
			case AMBIGUOUS -> Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST));
			case PLAIN -> chain.filter(exchange);
		};
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 10;
	}

	/**
	 * Decodes the path (until it no longer changes, against double encoding), drops path
	 * parameters, resolves dot segments, and compares its first segment to
	 * {@code actuator} ignoring case.
	 * @param rawPath the request path as received
	 * @return what the path is
	 */
	static Verdict judge(String rawPath) {
		String path = rawPath;
		boolean ambiguous = false;
		try {
			for (int round = 0; round < MAX_DECODING_ROUNDS; round++) {
				String lowerCase = path.toLowerCase(Locale.ROOT);
				ambiguous |= lowerCase.contains("%2f") || lowerCase.contains("%5c") || path.contains("\\");
				String decoded = UriUtils.decode(path, StandardCharsets.UTF_8);
				if (decoded.equals(path)) {
					break;
				}
				path = decoded;
			}
		}
		catch (IllegalArgumentException ex) {
			return Verdict.AMBIGUOUS;
		}
		Deque<String> segments = new ArrayDeque<>();
		for (String segment : path.split("[/\\\\]")) {
			int parameters = segment.indexOf(';');
			String name = (parameters != -1) ? segment.substring(0, parameters) : segment;
			if (name.equals(".") || name.equals("..")) {
				ambiguous = true;
				if (name.equals("..")) {
					segments.pollLast();
				}
			}
			else if (!name.isEmpty()) {
				segments.add(name);
			}
		}
		if ("actuator".equalsIgnoreCase(segments.peekFirst())) {
			return Verdict.ACTUATOR;
		}
		return ambiguous ? Verdict.AMBIGUOUS : Verdict.PLAIN;
	}

	enum Verdict {

		PLAIN, ACTUATOR, AMBIGUOUS

	}

}
