package io.github.visitcounter.stack;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts the compose stack once per test run (building its images takes minutes the first
 * time) and tears it down, volumes included, when the run ends. Before each test class it
 * brings the stack back to three healthy replicas in rotation, and every test that breaks
 * something repairs it, so the order of tests does not matter.
 */
class ComposeStackExtension implements ParameterResolver, BeforeAllCallback {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
		.create(ComposeStackExtension.class);

	static final int REPLICAS = 3;

	@Override
	public void beforeAll(ExtensionContext context) {
		ComposeStack stack = stack(context);
		stack.scale(REPLICAS);
		new GatewayClient(stack).awaitRotation(REPLICAS);
	}

	@Override
	public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
		Class<?> type = parameter.getParameter().getType();
		return type == ComposeStack.class || type == GatewayClient.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
		ComposeStack stack = stack(context);
		return (parameter.getParameter().getType() == ComposeStack.class) ? stack : new GatewayClient(stack);
	}

	private static ComposeStack stack(ExtensionContext context) {
		return context.getRoot()
			.getStore(NAMESPACE)
			.computeIfAbsent(ComposeStack.class, (key) -> ComposeStack.up(REPLICAS), ComposeStack.class);
	}

}
