package io.github.visitcounter.stack;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * A steady stream of requests through the published port, from a few client threads,
 * recording every outcome. Bounded: it stops by itself after {@code maxDuration}.
 */
final class RequestStream implements AutoCloseable {

	private static final Duration FAILURE_PAUSE = Duration.ofMillis(50);

	private final GatewayClient client;

	private final String method;

	private final ExecutorService threads;

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();

	private final Instant deadline;

	private RequestStream(GatewayClient client, String method, int clients, Duration maxDuration) {
		this.client = client;
		this.method = method;
		this.deadline = Instant.now().plus(maxDuration);
		this.threads = Executors.newFixedThreadPool(clients);
		for (int i = 0; i < clients; i++) {
			this.threads.submit(this::loop);
		}
	}

	/** GET / from {@code clients} threads, for at most five minutes. */
	static RequestStream of(GatewayClient client, int clients) {
		return new RequestStream(client, "GET", clients, Duration.ofMinutes(5));
	}

	static RequestStream of(GatewayClient client, String method, int clients) {
		return new RequestStream(client, method, clients, Duration.ofMinutes(5));
	}

	private void loop() {
		while (this.running.get() && Instant.now().isBefore(this.deadline)) {
			Outcome outcome = once();
			this.outcomes.add(outcome);
			if (outcome.visit() == null) {
				// Pace retries as a real client would: a refused connection fails
				// in microseconds, and a tight loop would starve the containers
				LockSupport.parkNanos(FAILURE_PAUSE.toNanos());
			}
		}
	}

	private Outcome once() {
		Instant at = Instant.now();
		try {
			if (this.method.equals("GET")) {
				HttpResponse<String> response = this.client.get("/", "text/plain");
				Visit visit = (response.statusCode() == 200) ? Visit.parse(response.body()) : null;
				return new Outcome(at, response.statusCode(), visit, response.body());
			}
			HttpResponse<String> response = this.client.send(this.client.request("/api/visits")
				.header("Accept", "application/json")
				.method(this.method, HttpRequest.BodyPublishers.noBody())
				.build());
			Visit visit = (response.statusCode() == 200) ? Visit.fromJson(response.body()) : null;
			return new Outcome(at, response.statusCode(), visit, response.body());
		}
		catch (RuntimeException ex) {
			return new Outcome(at, 0, null, ex.toString());
		}
	}

	List<Outcome> outcomes() {
		return List.copyOf(this.outcomes);
	}

	List<Outcome> since(Instant instant) {
		return this.outcomes.stream().filter((outcome) -> !outcome.at().isBefore(instant)).toList();
	}

	List<Outcome> failures() {
		return this.outcomes.stream().filter((outcome) -> outcome.visit() == null).toList();
	}

	List<Visit> visits() {
		return this.outcomes.stream().map(Outcome::visit).filter((visit) -> visit != null).toList();
	}

	/** Stops the clients, waiting for the requests in flight to finish. */
	@Override
	public void close() {
		this.running.set(false);
		this.threads.shutdown();
		try {
			this.threads.awaitTermination(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	String summary() {
		List<Outcome> all = outcomes();
		long failed = all.stream().filter((outcome) -> outcome.visit() == null).count();
		String kinds = all.stream()
			.filter((outcome) -> outcome.visit() == null)
			.collect(Collectors.groupingBy(RequestStream::kind, TreeMap::new, Collectors.counting()))
			.toString();
		return "%d requests sent, %d failed %s, %d answered with a visit number".formatted(all.size(), failed,
				(failed > 0) ? kinds : "", all.size() - failed);
	}

	private static String kind(Outcome outcome) {
		String body = outcome.body().lines().findFirst().orElse("");
		return (outcome.status() != 0 ? outcome.status() + " " : "") + body.substring(0, Math.min(60, body.length()));
	}

	record Outcome(Instant at, int status, Visit visit, String body) {
	}

}
