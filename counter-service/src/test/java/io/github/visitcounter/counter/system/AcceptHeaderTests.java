package io.github.visitcounter.counter.system;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.server.ServerWebInputException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class AcceptHeaderTests {

	private static final List<MediaType> OFFERED = List.of(MediaType.TEXT_PLAIN, MediaType.APPLICATION_JSON,
			MediaType.TEXT_HTML);

	@Test
	void noHeaderPicksTheFirstOfferedType() {
		assertThat(AcceptHeader.of(new HttpHeaders()).choose(OFFERED)).contains(MediaType.TEXT_PLAIN);
	}

	@Test
	void wildcardOfCurlPicksTheFirstOfferedType() {
		assertThat(choose("*/*")).contains(MediaType.TEXT_PLAIN);
	}

	@Test
	void browserHeaderPicksHtml() {
		assertThat(choose("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"))
			.contains(MediaType.TEXT_HTML);
	}

	@Test
	void highestQualityWins() {
		assertThat(choose("text/plain;q=0.5, application/json")).contains(MediaType.APPLICATION_JSON);
		assertThat(choose("text/html;q=0.2, */*;q=0.9")).contains(MediaType.TEXT_PLAIN);
	}

	@Test
	void namedTypeBeatsWildcardOfEqualQuality() {
		assertThat(choose("*/*, text/html")).contains(MediaType.TEXT_HTML);
		assertThat(choose("text/*, text/html")).contains(MediaType.TEXT_HTML);
	}

	@Test
	void clientOrderBreaksTiesBetweenNamedTypes() {
		assertThat(choose("application/json, text/plain, */*")).contains(MediaType.APPLICATION_JSON);
		assertThat(choose("text/plain, application/json")).contains(MediaType.TEXT_PLAIN);
	}

	@Test
	void parametersOtherThanQualityAreIgnored() {
		assertThat(choose("application/json;charset=UTF-8")).contains(MediaType.APPLICATION_JSON);
	}

	@Test
	void zeroQualityRefusesAType() {
		assertThat(choose("text/plain;q=0, */*")).contains(MediaType.APPLICATION_JSON);
	}

	@Test
	void partialWildcardPicksTheFirstMatchingOfferedType() {
		assertThat(choose("text/*")).contains(MediaType.TEXT_PLAIN);
		assertThat(choose("application/*")).contains(MediaType.APPLICATION_JSON);
	}

	@Test
	void nothingIsChosenWhenNoOfferedTypeIsAcceptable() {
		assertThat(choose("image/png")).isEmpty();
		assertThat(choose("text/html;q=0, text/plain;q=0, application/json;q=0")).isEmpty();
	}

	@Test
	void unparsableHeaderIsABadRequest() {
		assertThatExceptionOfType(ServerWebInputException.class).isThrownBy(() -> choose("foo"));
		assertThatExceptionOfType(ServerWebInputException.class).isThrownBy(() -> choose("text/html;q=abc"));
		assertThatExceptionOfType(ServerWebInputException.class).isThrownBy(() -> choose("text/html;q=2"));
	}

	private static Optional<MediaType> choose(String accept) {
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.ACCEPT, accept);
		return AcceptHeader.of(headers).choose(OFFERED);
	}

}
