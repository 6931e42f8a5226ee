package io.github.visitcounter.stack;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts the compose stack once per test run (building its images takes minutes the first
 * time) and tears it down, volumes included, when the run ends. Each test sets the state
 * it needs (replica count, traffic) itself, so the order of tests does not matter.
 */
class ComposeStackExtension implements ParameterResolver {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
		.create(ComposeStackExtension.class);

	static final int REPLICAS = 3;

	@Override
	public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
		Class<?> type = parameter.getParameter().getType();
		return type == ComposeStack.class || type == GatewayClient.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
		ComposeStack stack = context.getRoot()
			.getStore(NAMESPACE)
			.computeIfAbsent(ComposeStack.class, (key) -> ComposeStack.up(REPLICAS), ComposeStack.class);
		return (parameter.getParameter().getType() == ComposeStack.class) ? stack : new GatewayClient(stack);
	}

}
