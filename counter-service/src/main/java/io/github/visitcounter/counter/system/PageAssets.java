package io.github.visitcounter.counter.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;

import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * The pages' style and script, read once at startup and inlined into every page, so a
 * page view is one request: behind a per-request round robin, separate asset requests
 * would shift which replica the next click reaches. Their hashes let the
 * Content-Security-Policy allow exactly these two inline blocks, and nothing else.
 */
@Component
public class PageAssets {

	private final String style;

	private final String script;

	PageAssets() {
		this.style = read("page/counter.css", "</style");
		this.script = read("page/visits.js", "</script");
	}

	/**
	 * The page's style, to render verbatim between {@code <style>} and {@code </style>}.
	 * @return the style sheet
	 */
	public String style() {
		return this.style;
	}

	/**
	 * The page's script, to render verbatim between {@code <script>} and
	 * {@code </script>} at the end of the body.
	 * @return the script
	 */
	public String script() {
		return this.script;
	}

	String styleHash() {
		return hash(this.style);
	}

	String scriptHash() {
		return hash(this.script);
	}

	/**
	 * A CSP hash source for an inline block.
	 * @param text the exact text between the element's tags
	 * @return {@code sha256-} followed by the Base64 of the text's UTF-8 SHA-256
	 */
	static String hash(String text) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
			return "sha256-" + Base64.getEncoder().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-256", ex);
		}
	}

	private static String read(String location, String endTag) {
		String text;
		try {
			text = new ClassPathResource(location).getContentAsString(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + location, ex);
		}
		// Rendered unescaped, so the end tag would close the element early
		if (text.toLowerCase(Locale.ROOT).contains(endTag)) {
			throw new IllegalStateException(location + " must not contain " + endTag);
		}
		return text;
	}

}
