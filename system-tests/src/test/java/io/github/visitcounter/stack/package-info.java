/**
 * Whole-system tests: the repository's {@code compose.yaml} brought up with the real
 * {@code docker compose} CLI and driven through its published port, and the
 * {@code deploy/} files: the rollout, the Swarm stack and the Kubernetes manifests.
 */
package io.github.visitcounter.stack;
