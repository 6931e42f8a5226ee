/**
 * Cross-cutting configuration: error responses, security headers, the Redis client's
 * failure behaviour and graceful shutdown.
 */
package io.github.visitcounter.counter.system;
