/**
 * Whole-system tests: the repository's {@code compose.yaml} brought up with the real
 * {@code docker compose} CLI and driven through its published port.
 */
package io.github.visitcounter.stack;
