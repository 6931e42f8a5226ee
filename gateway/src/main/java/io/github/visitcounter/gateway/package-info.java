/**
 * The gateway: the visit counter's edge, balancing requests over every counter replica.
 */
package io.github.visitcounter.gateway;
