package io.github.visitcounter.gateway.discovery;

import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClient;
import org.springframework.context.annotation.Configuration;

/**
 * Gives the {@code counter} service (the routes' {@code lb://counter}) its own load
 * balancer configuration.
 */
@Configuration(proxyBeanMethods = false)
@LoadBalancerClient(name = CounterLoadBalancerConfiguration.SERVICE_ID,
		configuration = CounterLoadBalancerConfiguration.class)
class DiscoveryConfiguration {

}
