package io.github.visitcounter.gateway.discovery;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Resolves a host name to all of its addresses. Blocking: call it off the event loop.
 */
@FunctionalInterface
public interface HostResolver {

	List<InetAddress> resolve(String host) throws UnknownHostException;

	/**
	 * The JVM's resolver, whose cache follows {@code networkaddress.cache.ttl} (kept low
	 * by {@code GatewayApplication}) rather than the DNS answer's TTL.
	 * @return a resolver using {@link InetAddress#getAllByName(String)}
	 */
	static HostResolver system() {
		return (host) -> List.of(InetAddress.getAllByName(host));
	}

}
