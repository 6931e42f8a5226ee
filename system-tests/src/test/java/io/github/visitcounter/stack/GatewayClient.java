package io.github.visitcounter.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.awaitility.Awaitility.await;

/**
 * A client of the stack's only published port, as curl, a browser or a script would use
 * it.
 */
final class GatewayClient {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final Function<String, URI> uris;

	GatewayClient(ComposeStack stack) {
		this(stack::uri);
	}

	/** A client of a gateway published elsewhere, e.g. {@code http://127.0.0.1:8080}. */
	GatewayClient(URI base) {
		this(base::resolve);
	}

	private GatewayClient(Function<String, URI> uris) {
		this.uris = uris;
	}

	/** {@code GET /} as curl sends it; fails unless it answered 200 with a visit. */
	Visit visit() {
		HttpResponse<String> response = get("/", "*/*");
		if (response.statusCode() != 200) {
			throw new IllegalStateException("GET / answered " + response.statusCode() + ": " + response.body());
		}
		return Visit.parse(response.body());
	}

	/**
	 * Waits until the gateway rotates over exactly this many replicas: that many
	 * consecutive visits name that many distinct hostnames.
	 */
	void awaitRotation(int replicas) {
		await("gateway rotating over %d replicas".formatted(replicas)).atMost(Duration.ofMinutes(1))
			.pollInterval(Duration.ofMillis(500))
			.ignoreExceptions()
			.until(() -> {
				List<Visit> visits = Stream.generate(this::visit).limit(2L * replicas).toList();
				return visits.stream().map(Visit::hostname).distinct().count() == replicas;
			});
	}

	HttpResponse<String> get(String path, String accept) {
		return send(request(path).header("Accept", accept).GET().build());
	}

	JsonNode json(String method, String path) {
		HttpResponse<String> response = send(request(path).header("Accept", "application/json")
			.method(method, HttpRequest.BodyPublishers.noBody())
			.build());
		if (response.statusCode() != 200) {
			throw new IllegalStateException(method + " " + path + " answered " + response.statusCode());
		}
		return JSON.readTree(response.body());
	}

	HttpResponse<String> send(HttpRequest request) {
		try {
			return this.http.send(request, BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
	}

	URI uri(String path) {
		return this.uris.apply(path);
	}

}
