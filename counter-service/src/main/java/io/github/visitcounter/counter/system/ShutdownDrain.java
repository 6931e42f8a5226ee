package io.github.visitcounter.counter.system;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Keeps the web servers up for {@code counter.shutdown.drain-delay} once the context
 * starts closing. Boot has already set readiness to refusing traffic by then, so a load
 * balancer polling readiness stops sending requests before the servers stop accepting
 * them.
 */
@Component
class ShutdownDrain implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ShutdownDrain.class);

	private final Duration delay;

	private volatile boolean running;

	ShutdownDrain(ShutdownProperties properties) {
		this.delay = (properties.drainDelay() != null) ? properties.drainDelay() : Duration.ZERO;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public void stop(Runnable callback) {
		this.running = false;
		if (!this.delay.isPositive()) {
			callback.run();
			return;
		}
		logger.info("Readiness is refusing traffic; draining for " + this.delay.toMillis()
				+ " ms before the web servers stop");
		// The callback runs on the JDK's delay scheduler: the common pool may be busy
		// (it may be the very thread closing the context)
		CompletableFuture.delayedExecutor(this.delay.toMillis(), TimeUnit.MILLISECONDS, Runnable::run)
			.execute(callback);
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// The highest phase stops first, before graceful shutdown of the web servers
		return SmartLifecycle.DEFAULT_PHASE;
	}

}
