package io.github.visitcounter.gateway.system;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.webflux.error.DefaultErrorAttributes;
import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * What an error response says: the status, its reason phrase, one sentence for the client
 * ({@link Failure}) and the path. Boot's defaults add the exception's message and a
 * timestamp; neither is for the client here.
 */
@Component
class GatewayErrorAttributes extends DefaultErrorAttributes {

	@Override
	public Map<String, @Nullable Object> getErrorAttributes(ServerRequest request, ErrorAttributeOptions options) {
		Failure failure = Failure.of(getError(request));
		Map<String, @Nullable Object> attributes = new LinkedHashMap<>();
		attributes.put("status", failure.status().value());
		attributes.put("error", failure.status().getReasonPhrase());
		attributes.put("detail", failure.detail());
		attributes.put("path", request.requestPath().value());
		return attributes;
	}

}
