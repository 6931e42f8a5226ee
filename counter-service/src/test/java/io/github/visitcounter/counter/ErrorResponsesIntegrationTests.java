package io.github.visitcounter.counter;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "counter.hostname=replica-test" })
@AutoConfigureWebTestClient
@Import(ContainersConfiguration.class)
class ErrorResponsesIntegrationTests {

	@Autowired
	private WebTestClient client;

	@Test
	void unknownPathIsNotFoundInOneLineForCurl() {
		this.client.get()
			.uri("/nope")
			.accept(MediaType.ALL)
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType("text/plain;charset=UTF-8")
			.expectHeader()
			.valueEquals("X-Content-Type-Options", "nosniff")
			.expectBody(String.class)
			.isEqualTo("404 Not Found: there is nothing at this address.\n");
	}

	@Test
	void unknownPathIsAProblemForJsonClients() {
		String body = this.client.get()
			.uri("/nope")
			.accept(MediaType.APPLICATION_JSON)
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(body).contains("\"status\":404", "\"title\":\"Not Found\"", "\"instance\":\"/nope\"");
		assertNothingLeaks(body);
	}

	@Test
	void unknownPathIsASmallPageForBrowsers() throws Exception {
		EntityExchangeResult<String> result = this.client.get()
			.uri("/nope")
			.accept(MediaType.TEXT_HTML)
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.TEXT_HTML)
			.expectBody(String.class)
			.returnResult();
		String body = result.getResponseBody();
		assertThat(body).contains("404", "There is nothing at this address.")
			.doesNotContain("Whitelabel")
			.doesNotContain("<script")
			.doesNotContain("rel=\"stylesheet\"");
		assertThat(result.getResponseHeaders().getFirst("Content-Security-Policy"))
			.contains("; style-src " + InlineBlock.hashSource(body, "style") + ";")
			.doesNotContain("unsafe-inline");
		assertNothingLeaks(body);
	}

	@Test
	void wrongMethodOnTheCounterIsNotAllowed() {
		this.client.delete()
			.uri("/")
			.exchange()
			.expectStatus()
			.isEqualTo(405)
			.expectHeader()
			.valueEquals(HttpHeaders.ALLOW, "GET,HEAD")
			.expectBody(String.class)
			.isEqualTo("405 Method Not Allowed: this address allows only GET, HEAD.\n");
	}

	@Test
	void wrongMethodOnTheApiIsAProblemWithAllow() {
		String body = this.client.put()
			.uri("/api/visits")
			.accept(MediaType.APPLICATION_JSON)
			.exchange()
			.expectStatus()
			.isEqualTo(405)
			.expectHeader()
			.valueEquals(HttpHeaders.ALLOW, "GET,HEAD,POST")
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(body).contains("\"status\":405");
		assertNothingLeaks(body);
	}

	private static void assertNothingLeaks(String body) {
		assertThat(body).doesNotContain("Exception", "java.", "org.springframework", "\tat ", "trace");
	}

}
