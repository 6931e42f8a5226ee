/**
 * System: what the gateway answers by itself, failures and the public port's refusal of
 * {@code /actuator}.
 */
package io.github.visitcounter.gateway.system;
