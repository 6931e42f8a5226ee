package io.github.visitcounter.counter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one inline {@code <style>} or {@code <script>} of a page as served, and the CSP
 * hash source a browser computes for it.
 */
final class InlineBlock {

	private InlineBlock() {
	}

	/**
	 * Hash the text between the element's tags, as a browser checks it against the
	 * policy.
	 * @param page the page as served
	 * @param element {@code style} or {@code script}
	 * @return {@code 'sha256-…'}
	 */
	static String hashSource(String page, String element) throws NoSuchAlgorithmException {
		Matcher matcher = Pattern.compile("<" + element + "(\\s[^>]*)?>(.*?)</" + element + ">", Pattern.DOTALL)
			.matcher(page);
		assertThat(matcher.find()).as("an inline <%s>", element).isTrue();
		assertThat(matcher.group(1)).as("attributes of <%s>", element).isNull();
		String text = matcher.group(2);
		assertThat(text).as("<%s>", element).isNotBlank();
		assertThat(matcher.find()).as("a second <%s>", element).isFalse();
		byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
		return "'sha256-" + Base64.getEncoder().encodeToString(digest) + "'";
	}

}
