/**
 * Sweeps: many runs from one request. Today the config field paths ({@code optimizer.learningRate})
 * and a config flattened by them ({@link ConfigPaths}), which run summaries show as {@code params}.
 * Depends on the engine's config and {@code json}; never on runs, logs or HTTP.
 */
package dev.trainscope.server.sweep;
