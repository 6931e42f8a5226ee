package io.github.visitcounter.gateway.system;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.server.ServerWebInputException;

/**
 * A request's {@code Accept} header, and the choice among the representations a route
 * offers.
 * <p>
 * Each offered type takes the quality of the most specific range that matches it. The
 * highest quality wins; on a tie a type the client names beats one reached through a
 * wildcard, then the client's order decides, then the route's. So curl's
 * {@code &#42;/&#42;}, or no header, picks the route's first type, and a browser's
 * {@code text/html,...,&#42;/&#42;;q=0.8} picks HTML.
 * <p>
 * The counter's {@code AcceptHeader}, word for word: a client gets the same kind of
 * answer from the gateway as from a replica. The two services share no code, so the
 * gateway's tests check the same cases.
 */
final class AcceptHeader {

	private final List<MediaType> ranges;

	private AcceptHeader(List<MediaType> ranges) {
		this.ranges = ranges;
	}

	/**
	 * Parse the {@code Accept} header of a request.
	 * @param headers the request headers
	 * @return the parsed header, empty if absent
	 * @throws ServerWebInputException (400) if the header cannot be parsed
	 */
	static AcceptHeader of(HttpHeaders headers) {
		List<String> values = headers.getOrEmpty(HttpHeaders.ACCEPT);
		try {
			return new AcceptHeader(MediaType.parseMediaTypes(values));
		}
		catch (IllegalArgumentException ex) {
			throw new ServerWebInputException("Unparsable Accept header");
		}
	}

	/**
	 * Choose the representation to answer with.
	 * @param offered the types a route can produce, in its order of preference
	 * @return the chosen type, or empty if the client accepts none of them
	 */
	Optional<MediaType> choose(List<MediaType> offered) {
		if (this.ranges.isEmpty()) {
			return offered.stream().findFirst();
		}
		Comparator<Match> order = Comparator.comparingDouble(Match::quality)
			.reversed()
			.thenComparing(Comparator.comparingInt(Match::specificity).reversed())
			.thenComparingInt(Match::position)
			.thenComparingInt(Match::preference);
		return offered.stream()
			.map((type) -> match(type, offered.indexOf(type)))
			.flatMap(Optional::stream)
			.filter((match) -> match.quality() > 0)
			.min(order)
			.map(Match::type);
	}

	private Optional<Match> match(MediaType type, int preference) {
		Match best = null;
		for (int position = 0; position < this.ranges.size(); position++) {
			MediaType range = this.ranges.get(position);
			if (range.includes(type)) {
				int specificity = specificity(range);
				if (best == null || specificity > best.specificity()) {
					best = new Match(type, range.getQualityValue(), specificity, position, preference);
				}
			}
		}
		return Optional.ofNullable(best);
	}

	private static int specificity(MediaType range) {
		if (range.isWildcardType()) {
			return 0;
		}
		return range.isWildcardSubtype() ? 1 : 2;
	}

	private record Match(MediaType type, double quality, int specificity, int position, int preference) {

	}

}
