/**
 * Routing: the routes to the counter with their retries, the headers replicas receive,
 * the request size limit and the access log.
 */
package io.github.visitcounter.gateway.routing;
