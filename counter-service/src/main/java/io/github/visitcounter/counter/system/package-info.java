/**
 * Cross-cutting configuration: error responses, security headers, the Redis client's
 * failure behaviour, graceful shutdown and the style and script inlined into the pages.
 */
package io.github.visitcounter.counter.system;
