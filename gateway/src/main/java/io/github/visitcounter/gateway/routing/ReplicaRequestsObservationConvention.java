package io.github.visitcounter.gateway.routing;

import java.net.URI;

import io.micrometer.common.KeyValues;

import org.springframework.cloud.gateway.filter.headers.observation.DefaultGatewayObservationConvention;
import org.springframework.cloud.gateway.filter.headers.observation.GatewayContext;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;

/**
 * The observation of each attempt to reach a replica (a client span, and the timer
 * {@code gateway.replica.requests}), tagged by the replica it went to. Spring Cloud
 * Gateway names it {@code http.client.requests}, as the health checks' own, with other
 * tags, which Prometheus cannot hold under one name.
 */
class ReplicaRequestsObservationConvention extends DefaultGatewayObservationConvention {

	@Override
	public String getName() {
		return "gateway.replica.requests";
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(GatewayContext context) {
		URI replica = context.getServerWebExchange().getAttribute(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR);
		return super.getLowCardinalityKeyValues(context).and("replica",
				(replica != null && replica.getAuthority() != null) ? replica.getAuthority() : "none");
	}

}
