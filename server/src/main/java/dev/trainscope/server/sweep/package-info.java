/**
 * Sweeps: many runs from one request. A request ({@link SweepSpec}) is expanded into its runs'
 * configs ({@link SweepPlan}, every value checked before any run starts) and kept on disk ({@link
 * SweepStore}); the config field paths ({@code optimizer.learningRate}) and a config flattened by
 * them ({@link ConfigPaths}) are what run summaries show as {@code params}. Depends on the engine's
 * config, {@code json} and the log's file helpers; never on runs or HTTP (runs start sweeps).
 */
package dev.trainscope.server.sweep;
