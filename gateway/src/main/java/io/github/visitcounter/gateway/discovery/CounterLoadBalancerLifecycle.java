package io.github.visitcounter.gateway.discovery;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Stops the health checks as soon as the web server has stopped taking requests, by
 * closing the load balancers' child contexts. Otherwise they run until the beans are
 * destroyed, after the shared Reactor Netty event loops shut down, and that shutdown
 * waits for a quiet moment that checks every few seconds never leave: 15 s, more than
 * Compose waits before it kills the gateway.
 */
@Component
class CounterLoadBalancerLifecycle implements SmartLifecycle {

	private final LoadBalancerClientFactory loadBalancers;

	private volatile boolean running;

	CounterLoadBalancerLifecycle(LoadBalancerClientFactory loadBalancers) {
		this.loadBalancers = loadBalancers;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.loadBalancers.destroy();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Stops right after the web server (and long before the event loops, phase 0).
	 */
	@Override
	public int getPhase() {
		return WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE - 1;
	}

}
