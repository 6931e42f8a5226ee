/**
 * Routing: the public port's whole request path ({@link RequestPathConfiguration}), from
 * connection limits and request hygiene to the routes, retries and failover, and the
 * headers replicas receive.
 */
package io.github.visitcounter.gateway.routing;
