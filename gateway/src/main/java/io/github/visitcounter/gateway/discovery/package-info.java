/**
 * Discovery: finds the counter replicas by DNS, health-checks them and orders them for
 * round robin.
 */
package io.github.visitcounter.gateway.discovery;
