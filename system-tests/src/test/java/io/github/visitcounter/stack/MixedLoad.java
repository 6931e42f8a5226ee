package io.github.visitcounter.stack;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * What visitors send through the published port, all at once: pages for browsers, plain
 * text for curl and JSON posts from the page's "Visit again", each client thread cycling
 * through the three on its own keep-alive connection. Every outcome is recorded; closing
 * waits for the requests in flight, so none is left unaccounted for. Bounded: it stops by
 * itself after five minutes.
 */
final class MixedLoad implements AutoCloseable {

	private static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

	private static final Duration FAILURE_PAUSE = Duration.ofMillis(20);

	private static final Duration MAX_DURATION = Duration.ofMinutes(5);

	private final ExecutorService threads;

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();

	private final Instant deadline = Instant.now().plus(MAX_DURATION);

	private MixedLoad(ComposeStack stack, int clients) {
		this.threads = Executors.newFixedThreadPool(clients);
		for (int i = 0; i < clients; i++) {
			// A client of its own per thread: one connection each, as separate visitors
			GatewayClient client = new GatewayClient(stack);
			int first = i;
			this.threads.submit(() -> loop(client, first));
		}
	}

	static MixedLoad start(ComposeStack stack, int clients) {
		return new MixedLoad(stack, clients);
	}

	private void loop(GatewayClient client, int first) {
		Kind[] kinds = Kind.values();
		for (int i = first; this.running.get() && Instant.now().isBefore(this.deadline); i++) {
			Outcome outcome = once(client, kinds[i % kinds.length]);
			this.outcomes.add(outcome);
			if (outcome.visit() == null) {
				// A real client does not retry in a tight loop either
				LockSupport.parkNanos(FAILURE_PAUSE.toNanos());
			}
		}
	}

	private static Outcome once(GatewayClient client, Kind kind) {
		Instant at = Instant.now();
		try {
			HttpResponse<String> response = switch (kind) {
				case PAGE -> client.get("/", BROWSER_ACCEPT);
				case TEXT -> client.get("/", "text/plain");
				case POST -> client.send(client.request("/api/visits")
					.header("Accept", "application/json")
					.POST(HttpRequest.BodyPublishers.noBody())
					.build());
			};
			Visit visit = null;
			if (response.statusCode() == 200) {
				visit = switch (kind) {
					case PAGE -> Visit.fromPage(response.body());
					case TEXT -> Visit.parse(response.body());
					case POST -> Visit.fromJson(response.body());
				};
			}
			return new Outcome(at, kind, response.statusCode(), visit, response.body());
		}
		catch (RuntimeException ex) {
			return new Outcome(at, kind, 0, null, ex.toString());
		}
	}

	List<Outcome> outcomes() {
		return List.copyOf(this.outcomes);
	}

	List<Outcome> since(Instant instant) {
		return this.outcomes.stream().filter((outcome) -> !outcome.at().isBefore(instant)).toList();
	}

	/** The answers that carried a visit number. */
	List<Visit> visits() {
		return this.outcomes.stream().map(Outcome::visit).filter((visit) -> visit != null).toList();
	}

	/**
	 * Requests that may have been counted without their answer reaching the client: the
	 * connection broke after the request was sent, or the gateway gave up waiting (502,
	 * 504). A refused connection counts nothing, nor does a 503.
	 */
	List<Outcome> undecided() {
		return this.outcomes.stream()
			.filter((outcome) -> (outcome.status() == 0 && !outcome.body().contains("ConnectException"))
					|| outcome.status() == 502 || outcome.status() == 504)
			.toList();
	}

	/** Stops the clients, waiting for the requests in flight to be answered. */
	@Override
	public void close() {
		this.running.set(false);
		this.threads.shutdown();
		try {
			if (!this.threads.awaitTermination(1, TimeUnit.MINUTES)) {
				throw new IllegalStateException("Requests still in flight a minute after the load stopped");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	String summary() {
		List<Outcome> all = outcomes();
		Map<String, Long> byKind = all.stream()
			.collect(Collectors.groupingBy((outcome) -> outcome.kind().name().toLowerCase(), TreeMap::new,
					Collectors.counting()));
		Map<String, Long> failures = all.stream()
			.filter((outcome) -> outcome.visit() == null)
			.collect(Collectors.groupingBy(MixedLoad::failureKind, TreeMap::new, Collectors.counting()));
		long answered = all.size() - failures.values().stream().mapToLong(Long::longValue).sum();
		return "%d requests %s, %d answered with a visit number, failed: %s".formatted(all.size(), byKind, answered,
				failures);
	}

	private static String failureKind(Outcome outcome) {
		if (outcome.status() != 0) {
			return Integer.toString(outcome.status());
		}
		String body = outcome.body();
		int colon = body.indexOf(':');
		return (colon > 0) ? body.substring(0, colon) : body;
	}

	enum Kind {

		/** {@code GET /} as a browser asks for it. */
		PAGE,

		/** {@code GET /} as curl asks for it. */
		TEXT,

		/** {@code POST /api/visits}, as the page's "Visit again" sends it. */
		POST

	}

	record Outcome(Instant at, Kind kind, int status, Visit visit, String body) {
	}

}
