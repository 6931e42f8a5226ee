package io.github.visitcounter.stack;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One answer of the counter in its plain-text form:
 * {@code Visit number N\nHostname: H\n}.
 */
record Visit(long number, String hostname) {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Pattern TEXT = Pattern.compile("\\AVisit number (\\d+)\\nHostname: (\\S+)\\n\\z");

	private static final Pattern PAGE = Pattern
		.compile("id=\"visit-number\"[^>]*>\\s*(\\d+)\\s*<.*id=\"hostname\"[^>]*>\\s*([^<\\s]+)\\s*<", Pattern.DOTALL);

	static Visit parse(String body) {
		Matcher matcher = TEXT.matcher(body);
		if (!matcher.matches()) {
			throw new IllegalArgumentException("Not a visit: " + body);
		}
		return new Visit(Long.parseLong(matcher.group(1)), matcher.group(2));
	}

	/** The page a browser gets: the number and the replica shown on it. */
	static Visit fromPage(String body) {
		Matcher matcher = PAGE.matcher(body);
		if (!matcher.find()) {
			throw new IllegalArgumentException("Not a visit page: " + body.substring(0, Math.min(200, body.length())));
		}
		return new Visit(Long.parseLong(matcher.group(1)), matcher.group(2));
	}

	/** The JSON form: {@code {"visits": N, "hostname": "H", "replicas": {...}}}. */
	static Visit fromJson(String body) {
		JsonNode json = JSON.readTree(body);
		return new Visit(json.required("visits").asLong(), json.required("hostname").asString());
	}

}
