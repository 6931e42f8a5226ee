/**
 * System: failures as responses (one line, problem JSON or a page) and the Reactor Netty
 * keep-alive fix both servers need.
 */
package io.github.visitcounter.gateway.system;
