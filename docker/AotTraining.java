import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load of the AOT cache's training run (docker/aot-training.sh), on the JRE alone (compiled in the image's
 * build stage, run in its last): {@code replica PORT} answers as a counter replica would (health, a visit as text,
 * JSON, a page), so the gateway proxies real requests in training; {@code load URL SECONDS CONNECTIONS [as-gateway]}
 * sends a service the requests it serves, over keep-alive connections, for that long, and prints how many were
 * answered; {@code as-gateway}: each with a request id and W3C trace context of its own, as the gateway sends them to
 * a replica. Without this the training saw a handful of requests, all answered 503, and the method profiles the
 * cache records were those of the error path.
 */
class AotTraining {

	public static void main(String[] args) throws Exception {
		switch (args[0]) {
			case "replica" -> replica(Integer.parseInt(args[1]));
			case "load" -> load(URI.create(args[1]), Duration.ofSeconds(Long.parseLong(args[2])),
					Integer.parseInt(args[3]), args.length > 4 && args[4].equals("as-gateway"));
			default -> throw new IllegalArgumentException("replica PORT | load URL SECONDS CONNECTIONS [as-gateway]");
		}
	}

	private static void replica(int port) throws IOException {
		AtomicLong visits = new AtomicLong();
		try (ServerSocket server = new ServerSocket(port, 128, InetAddress.getLoopbackAddress());
				var threads = Executors.newVirtualThreadPerTaskExecutor()) {
			while (true) {
				Socket socket = server.accept();
				threads.execute(() -> serve(socket, visits));
			}
		}
	}

	private static void serve(Socket socket, AtomicLong visits) {
		try (socket;
				var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
				OutputStream out = socket.getOutputStream()) {
			String line;
			while ((line = in.readLine()) != null) {
				String[] request = line.split(" ");
				long length = 0;
				String accept = "";
				while ((line = in.readLine()) != null && !line.isEmpty()) {
					String lower = line.toLowerCase();
					if (lower.startsWith("content-length:")) {
						length = Long.parseLong(lower.substring(15).trim());
					}
					else if (lower.startsWith("accept:")) {
						accept = lower;
					}
				}
				in.skip(length);
				String path = (request.length > 1) ? request[1] : "/";
				String type;
				String body;
				if (path.startsWith("/actuator/health")) {
					type = "application/json";
					body = "{\"status\":\"UP\"}";
				}
				else if (path.startsWith("/api/visits")) {
					type = "application/json";
					body = "{\"visits\":" + visits.incrementAndGet() + ",\"hostname\":\"aot-training\"}";
				}
				else if (accept.contains("text/html")) {
					type = "text/html;charset=UTF-8";
					body = "<!DOCTYPE html><title>Visit</title><p>Visit number " + visits.incrementAndGet() + "</p>";
				}
				else {
					type = "text/plain;charset=UTF-8";
					body = "Visit number " + visits.incrementAndGet() + "\nHostname: aot-training\n";
				}
				byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
				out.write(("HTTP/1.1 200 OK\r\nContent-Type: " + type + "\r\nContent-Length: " + bytes.length
						+ "\r\n\r\n")
					.getBytes(StandardCharsets.ISO_8859_1));
				out.write(bytes);
				out.flush();
			}
		}
		catch (IOException ex) {
			// The gateway closed the connection: nothing to answer
		}
	}

	private static void load(URI base, Duration duration, int connections, boolean asGateway)
			throws InterruptedException {
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		List<HttpRequest.Builder> requests = List.of(HttpRequest.newBuilder(base).header("Accept", "text/plain"),
				HttpRequest.newBuilder(base).header("Accept", "text/html"),
				HttpRequest.newBuilder(base.resolve("/api/visits")).header("Accept", "application/json"),
				HttpRequest.newBuilder(base.resolve("/api/visits"))
					.header("Accept", "application/json")
					.POST(HttpRequest.BodyPublishers.noBody()));
		long end = System.nanoTime() + duration.toNanos();
		AtomicLong answered = new AtomicLong();
		AtomicLong failed = new AtomicLong();
		try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int i = 0; i < connections; i++) {
				int offset = i;
				threads.execute(() -> {
					for (int n = offset; System.nanoTime() < end; n++) {
						try {
							HttpRequest.Builder request = requests.get(n % requests.size()).copy();
							if (asGateway) {
								request.setHeader("X-Request-Id", UUID.randomUUID().toString())
									.setHeader("traceparent", "00-%016x%016x-%016x-01".formatted(
											ThreadLocalRandom.current().nextLong(), ThreadLocalRandom.current().nextLong(),
											ThreadLocalRandom.current().nextLong()));
							}
							int status = client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
							((status < 400) ? answered : failed).incrementAndGet();
						}
						catch (IOException ex) {
							failed.incrementAndGet();
						}
						catch (InterruptedException ex) {
							return;
						}
					}
				});
			}
		}
		System.out.println("aot-training: " + answered + " requests answered, " + failed + " failed, in " + duration);
	}

}
