/**
 * Sweeps: many runs from one request. Config field paths ({@code optimizer.learningRate}) and a
 * config flattened by them ({@link ConfigPaths}), a sweep request parsed and validated ({@link
 * SweepSpec}), expanded into run configs ({@link SweepPlan}) and stored durably ({@link
 * SweepStore}). Depends on the engine's config and {@code json}; never on runs, logs or HTTP.
 */
package dev.trainscope.server.sweep;
