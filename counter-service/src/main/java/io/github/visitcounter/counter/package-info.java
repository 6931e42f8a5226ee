/**
 * The counter service's entry point; its features live in the sub-packages.
 */
package io.github.visitcounter.counter;
