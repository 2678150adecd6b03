/**
 * Benchmarks and load harnesses (JMH where it fits), run from the command lines in BENCHMARKS.md.
 * May depend on everything; nothing depends on it.
 */
package dev.trainscope.bench;
