/**
 * The math of a dense network in float32: matrices, layers with their forward and backward side by
 * side, activations, losses and optimizers. Knows nothing of runs, events or threads beyond its own
 * kernel parallelism.
 */
package dev.trainscope.engine.nn;
