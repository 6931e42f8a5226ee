package io.github.visitcounter.counter;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "counter.hostname=replica-test" })
@AutoConfigureWebTestClient
@Import(ContainersConfiguration.class)
class VisitsIntegrationTests {

	private static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,"
			+ "image/avif,image/webp,*/*;q=0.8";

	private static final Pattern PAGE_PERCENT = Pattern.compile("<span class=\"count\">\\d+ · (\\d+)%</span>");

	private static final Pattern TEXT = Pattern.compile("Visit number (\\d+)\nHostname: replica-test\n");

	@Autowired
	private WebTestClient client;

	@Autowired
	private ReactiveStringRedisTemplate redis;

	@Test
	void curlGetsTheClassicTwoLines() {
		long before = total();
		this.client.get()
			.uri("/")
			.accept(MediaType.ALL)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentType("text/plain;charset=UTF-8")
			.expectHeader()
			.cacheControl(CacheControl.noStore())
			.expectBody(String.class)
			.isEqualTo("Visit number " + (before + 1) + "\nHostname: replica-test\n");
	}

	@Test
	void retriedRequestIdGetsTheNumberItWasGivenWithoutCountingAgain() {
		long before = total();
		String id = "retried-" + System.nanoTime();
		long first = visitNumber(visitWithRequestId(id));
		long retried = visitNumber(visitWithRequestId(id));
		long another = visitNumber(visitWithRequestId(id + "-other"));
		assertThat(retried).isEqualTo(first);
		assertThat(another).isEqualTo(first + 1);
		assertThat(total()).isEqualTo(before + 2);
	}

	@Test
	void malformedRequestIdIsIgnored() {
		long first = visitNumber(visitWithRequestId("not an id"));
		assertThat(visitNumber(visitWithRequestId("not an id"))).isEqualTo(first + 1);
	}

	private String visitWithRequestId(String id) {
		return this.client.get()
			.uri("/")
			.header("X-Request-Id", id)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

	@Test
	void requestWithoutAcceptHeaderGetsText() {
		long before = total();
		this.client.get()
			.uri("/")
			.headers((headers) -> headers.remove(HttpHeaders.ACCEPT))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo("Visit number " + (before + 1) + "\nHostname: replica-test\n");
	}

	@Test
	void browsersGetThePageWithStrictHeaders() throws Exception {
		long before = total();
		EntityExchangeResult<String> result = this.client.get()
			.uri("/")
			.header(HttpHeaders.ACCEPT, BROWSER_ACCEPT)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.TEXT_HTML)
			.expectHeader()
			.valueEquals("X-Content-Type-Options", "nosniff")
			.expectHeader()
			.valueEquals("Referrer-Policy", "no-referrer")
			.expectHeader()
			.valueEquals(HttpHeaders.CACHE_CONTROL, "no-store")
			.expectBody(String.class)
			.returnResult();
		String page = result.getResponseBody();
		assertThat(page).contains("id=\"visit-number\" class=\"number\">" + (before + 1) + "<")
			.contains("id=\"hostname\">replica-test<")
			.contains("id=\"visit-again\"")
			.contains("id=\"replicas\"")
			.contains("<link rel=\"icon\" href=\"data:,\">")
			.doesNotContain("rel=\"stylesheet\"")
			.doesNotContain("style=");
		assertThat(page.indexOf("<script>")).as("the script runs after the elements it looks up")
			.isGreaterThan(page.indexOf("id=\"status\""));
		assertThat(result.getResponseHeaders().getFirst("Content-Security-Policy"))
			.isEqualTo("default-src 'none'; script-src " + InlineBlock.hashSource(page, "script") + "; style-src "
					+ InlineBlock.hashSource(page, "style") + "; connect-src 'self'; img-src 'self' data:; "
					+ "base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
	}

	@Test
	void pageShowsTheClientAddressTheGatewaySaw() {
		String page = this.client.get()
			.uri("/")
			.header(HttpHeaders.ACCEPT, BROWSER_ACCEPT)
			.header("X-Forwarded-For", "203.0.113.7")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(page).contains("Your address: <span id=\"client-address\">203.0.113.7</span>");
	}

	@Test
	void pagePercentagesAddUpTo100() {
		this.redis.opsForHash().put("visits:replicas", "replica-other", "2").block(Duration.ofSeconds(5));
		this.redis.opsForValue().increment("visits", 2).block(Duration.ofSeconds(5));
		this.redis.opsForZSet()
			.add("visits:presence", "replica-other", System.currentTimeMillis() + 60_000)
			.block(Duration.ofSeconds(5));
		try {
			String page = this.client.get()
				.uri("/")
				.header(HttpHeaders.ACCEPT, BROWSER_ACCEPT)
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(String.class)
				.returnResult()
				.getResponseBody();
			List<Integer> percentages = PAGE_PERCENT.matcher(page)
				.results()
				.map((match) -> Integer.parseInt(match.group(1)))
				.toList();
			assertThat(percentages).hasSizeGreaterThanOrEqualTo(2);
			assertThat(percentages.stream().mapToInt(Integer::intValue).sum()).as(page).isEqualTo(100);
		}
		finally {
			this.redis.opsForZSet().remove("visits:presence", "replica-other").block(Duration.ofSeconds(5));
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "/css/counter.css", "/js/visits.js", "/page/counter.css", "/page/visits.js" })
	void pageAssetsAreNotServedOnTheirOwn(String path) {
		this.client.get()
			.uri(path)
			.accept(MediaType.ALL)
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.returnResult();
	}

	@Test
	void jsonClientsGetTheTotalAndTheSpread() {
		long before = total();
		this.client.get()
			.uri("/")
			.accept(MediaType.APPLICATION_JSON)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentType(MediaType.APPLICATION_JSON)
			.expectBody()
			.jsonPath("$.visits")
			.isEqualTo(before + 1)
			.jsonPath("$.hostname")
			.isEqualTo("replica-test")
			.jsonPath("$.replicas['replica-test']")
			.isEqualTo(replicaVisits());
	}

	@Test
	void unparsableAcceptHeaderIsRefusedWithoutCounting() {
		long before = total();
		this.client.get()
			.uri("/")
			.header(HttpHeaders.ACCEPT, "not a media type")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody(String.class)
			.value((body) -> assertThat(body).startsWith("400 Bad Request: "));
		assertThat(total()).isEqualTo(before);
	}

	@Test
	void unacceptableTypeIsRefusedWithoutCounting() {
		long before = total();
		this.client.get()
			.uri("/")
			.accept(MediaType.IMAGE_PNG)
			.exchange()
			.expectStatus()
			.isEqualTo(406)
			.expectBody(String.class)
			.value((body) -> assertThat(body).startsWith("406 Not Acceptable: "));
		assertThat(total()).isEqualTo(before);
	}

	@Test
	void headAndFaviconDoNotCount() {
		long before = total();
		this.client.head()
			.uri("/")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentType("text/plain;charset=UTF-8")
			.expectBody()
			.isEmpty();
		this.client.get().uri("/favicon.ico").exchange().expectStatus().isNoContent().expectBody().isEmpty();
		assertThat(total()).isEqualTo(before);
	}

	@Test
	void readingTheApiDoesNotCount() {
		long before = total();
		this.client.get()
			.uri("/api/visits")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.visits")
			.isEqualTo(before)
			.jsonPath("$.hostname")
			.isEqualTo("replica-test");
		assertThat(total()).isEqualTo(before);
	}

	@Test
	void postingToTheApiCountsOneVisitWithoutReadingTheBody() {
		long before = total();
		this.client.post()
			.uri("/api/visits")
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.bodyValue(new byte[256 * 1024])
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.visits")
			.isEqualTo(before + 1)
			.jsonPath("$.replicas['replica-test']")
			.isEqualTo(replicaVisits());
	}

	private long total() {
		String total = this.redis.opsForValue().get("visits").block(Duration.ofSeconds(5));
		return (total != null) ? Long.parseLong(total) : 0;
	}

	private long replicaVisits() {
		Object visits = this.redis.opsForHash().get("visits:replicas", "replica-test").block(Duration.ofSeconds(5));
		return (visits != null) ? Long.parseLong(visits.toString()) : 0;
	}

	private static long visitNumber(String body) {
		Matcher matcher = TEXT.matcher(body);
		assertThat(matcher.matches()).as(body).isTrue();
		return Long.parseLong(matcher.group(1));
	}

}
