package io.github.visitcounter.counter.visits;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.github.visitcounter.counter.system.AcceptHeader;
import io.github.visitcounter.counter.system.PageAssets;
import reactor.core.publisher.Mono;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.NotAcceptableStatusException;

/**
 * Answers {@code /} (text for curl, JSON, or the page for browsers) and
 * {@code /api/visits}. The representation is chosen before counting, so a request that is
 * refused counts nothing.
 */
@Component
class VisitsHandler {

	private static final List<MediaType> PAGE_TYPES = List.of(MediaType.TEXT_PLAIN, MediaType.APPLICATION_JSON,
			MediaType.TEXT_HTML);

	private static final List<MediaType> API_TYPES = List.of(MediaType.APPLICATION_JSON);

	private static final MediaType TEXT_PLAIN_UTF8 = new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8);

	private static final MediaType TEXT_HTML_UTF8 = new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8);

	private static final CacheControl NO_STORE = CacheControl.noStore();

	private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

	private final VisitCounter counter;

	private final String requestIdHeader;

	private final PageAssets assets;

	VisitsHandler(VisitCounter counter, CounterProperties properties, PageAssets assets) {
		this.counter = counter;
		this.requestIdHeader = properties.requestIds().header();
		this.assets = assets;
	}

	Mono<ServerResponse> visit(ServerRequest request) {
		return negotiate(request, PAGE_TYPES).flatMap((type) -> {
			if (MediaType.TEXT_PLAIN.equals(type)) {
				return this.counter.count(requestId(request)).flatMap(this::text);
			}
			if (MediaType.APPLICATION_JSON.equals(type)) {
				return this.counter.countWithSpread(requestId(request)).flatMap(this::json);
			}
			return this.counter.countWithSpread(requestId(request)).flatMap((visits) -> page(visits, request));
		});
	}

	Mono<ServerResponse> describeVisit(ServerRequest request) {
		return negotiate(request, PAGE_TYPES).flatMap(this::headersOnly);
	}

	Mono<ServerResponse> current(ServerRequest request) {
		return negotiate(request, API_TYPES).then(this.counter.current()).flatMap(this::json);
	}

	Mono<ServerResponse> describeCurrent(ServerRequest request) {
		return negotiate(request, API_TYPES).flatMap(this::headersOnly);
	}

	Mono<ServerResponse> countVisit(ServerRequest request) {
		// The body, if any, is never read: nothing is buffered, whatever its size
		return negotiate(request, API_TYPES).then(this.counter.countWithSpread(requestId(request))).flatMap(this::json);
	}

	/** The id the gateway gave this request, or an empty string when it has none. */
	private String requestId(ServerRequest request) {
		String id = request.headers().firstHeader(this.requestIdHeader);
		return (id != null && REQUEST_ID.matcher(id).matches()) ? id : "";
	}

	private Mono<MediaType> negotiate(ServerRequest request, List<MediaType> offered) {
		return Mono.fromCallable(() -> AcceptHeader.of(request.headers().asHttpHeaders()))
			.map((accept) -> accept.choose(offered).orElseThrow(() -> new NotAcceptableStatusException(offered)));
	}

	private Mono<ServerResponse> text(long visits) {
		String body = "Visit number " + visits + "\nHostname: " + this.counter.hostname() + "\n";
		return ServerResponse.ok().cacheControl(NO_STORE).contentType(TEXT_PLAIN_UTF8).bodyValue(body);
	}

	private Mono<ServerResponse> json(Visits visits) {
		return ServerResponse.ok().cacheControl(NO_STORE).contentType(MediaType.APPLICATION_JSON).bodyValue(visits);
	}

	private Mono<ServerResponse> page(Visits visits, ServerRequest request) {
		// The address the gateway saw, from X-Forwarded-For: an unresolved address, whose
		// host string is the text the header carried (getAddress() is null)
		String client = request.remoteAddress().map(InetSocketAddress::getHostString).orElse("");
		Map<String, Object> model = Map.of("visits", visits, "shares", visits.shares(), "spreadTotal",
				visits.spreadTotal(), "client", client, "style", this.assets.style(), "script", this.assets.script());
		return ServerResponse.ok().cacheControl(NO_STORE).contentType(TEXT_HTML_UTF8).render("visits", model);
	}

	private Mono<ServerResponse> headersOnly(MediaType type) {
		MediaType contentType = MediaType.TEXT_PLAIN.equals(type) ? TEXT_PLAIN_UTF8
				: MediaType.TEXT_HTML.equals(type) ? TEXT_HTML_UTF8 : type;
		return ServerResponse.ok().cacheControl(NO_STORE).contentType(contentType).build();
	}

}
