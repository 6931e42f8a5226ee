/**
 * Counting visits: the HTTP routes, their content negotiation, the atomic Redis scripts,
 * the replicas' presence in Redis and the {@code counter.*} properties.
 */
package io.github.visitcounter.counter.visits;
