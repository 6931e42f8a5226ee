package io.github.visitcounter.gateway;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A stand-in for one counter replica: a public server answering like the counter
 * ({@code Hostname: backend-N}) and a management server with a readiness endpoint that
 * can be flipped to 503, or both frozen, as a paused container. A request with an
 * {@code X-Echo-Headers} header gets its headers back.
 */
final class CounterReplica {

	private final String name;

	private final String address;

	private final AtomicInteger requests = new AtomicInteger();

	private final AtomicInteger posts = new AtomicInteger();

	private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

	private final ChannelGroup managementConnections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

	private volatile boolean ready = true;

	private volatile boolean hangingUpOnPost;

	private volatile boolean frozen;

	private volatile boolean stalled;

	private volatile DisposableServer server;

	private volatile DisposableServer management;

	CounterReplica(String name, String address) {
		this.name = name;
		this.address = address;
	}

	String name() {
		return this.name;
	}

	String address() {
		return this.address;
	}

	/** Requests received on the public port. */
	int requests() {
		return this.requests.get();
	}

	int posts() {
		return this.posts.get();
	}

	void ready(boolean ready) {
		this.ready = ready;
	}

	/**
	 * Never answer, on either port, as a paused container: connections open, nothing
	 * comes back.
	 */
	void freeze(boolean frozen) {
		this.frozen = frozen;
	}

	/**
	 * Never answer requests on the public port, while passing health checks: overloaded.
	 */
	void stall(boolean stalled) {
		this.stalled = stalled;
	}

	/** Read a POST to the end, then close the connection without answering. */
	void hangUpOnPost(boolean hangingUp) {
		this.hangingUpOnPost = hangingUp;
	}

	/** Starts whatever is not running, ready, with fresh counts. */
	void revive(int port, int managementPort) {
		this.ready = true;
		this.hangingUpOnPost = false;
		this.frozen = false;
		this.stalled = false;
		this.requests.set(0);
		this.posts.set(0);
		if (this.server == null) {
			this.server = HttpServer.create()
				.host(this.address)
				.port(port)
				.doOnChannelInit((observer, channel, remote) -> this.connections.add(channel))
				.handle(this::serve)
				.bindNow();
		}
		if (this.management == null) {
			this.management = HttpServer.create()
				.host(this.address)
				.port(managementPort)
				.doOnChannelInit((observer, channel, remote) -> this.managementConnections.add(channel))
				.route((routes) -> routes.get("/actuator/health/readiness", this::readiness))
				.bindNow();
		}
	}

	int port() {
		return this.server.port();
	}

	int managementPort() {
		return this.management.port();
	}

	/** Stops the public server and closes its connections; health checks still pass. */
	void stopServing() {
		if (this.server != null) {
			this.server.disposeNow(Duration.ofSeconds(2));
			this.connections.close().awaitUninterruptibly();
			this.server = null;
		}
	}

	/** Stops both servers, as a replica that dies. */
	void kill() {
		stopServing();
		if (this.management != null) {
			this.management.disposeNow(Duration.ofSeconds(2));
			this.managementConnections.close().awaitUninterruptibly();
			this.management = null;
		}
	}

	private Publisher<Void> serve(HttpServerRequest request, HttpServerResponse response) {
		return request.receive().aggregate().asString().defaultIfEmpty("").flatMap((body) -> {
			int visit = this.requests.incrementAndGet();
			boolean post = request.method().equals(HttpMethod.POST);
			if (post) {
				this.posts.incrementAndGet();
			}
			if (this.frozen || this.stalled) {
				return Mono.never();
			}
			if (post) {
				if (this.hangingUpOnPost) {
					response.withConnection(Connection::dispose);
					return Mono.never();
				}
			}
			StringBuilder text = new StringBuilder();
			if (request.requestHeaders().contains("X-Echo-Headers")) {
				request.requestHeaders()
					.forEach((header) -> text.append(header.getKey())
						.append(": ")
						.append(header.getValue())
						.append('\n'));
			}
			else {
				text.append("Visit number ").append(visit).append('\n');
			}
			text.append("Hostname: ").append(this.name).append('\n');
			return response.header("Content-Type", "text/plain").sendString(Mono.just(text.toString())).then();
		});
	}

	private Publisher<Void> readiness(HttpServerRequest request, HttpServerResponse response) {
		if (this.frozen) {
			return Mono.never();
		}
		boolean up = this.ready;
		return response.status(up ? 200 : 503)
			.header("Content-Type", "application/json")
			.sendString(Mono.just(up ? "{\"status\":\"UP\"}" : "{\"status\":\"OUT_OF_SERVICE\"}"));
	}

}
