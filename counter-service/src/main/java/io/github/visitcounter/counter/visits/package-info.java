/**
 * Counting visits: the HTTP routes, their content negotiation, the atomic Redis script
 * and the {@code counter.*} properties.
 */
package io.github.visitcounter.counter.visits;
