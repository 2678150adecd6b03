/**
 * Trains a network and emits its whole training as a cold {@code Flux<TrainingEvent>}: {@code
 * Trainer} (the entry point), {@code TrainingSession} (one run, epoch by epoch), what its events
 * report ({@code Evaluator}, {@code ProbeTrace}, {@code LayerStatistics}, {@code InsightRules}) and
 * the pause/step/stop gate. May depend on the engine's other packages and on reactor-core only: no
 * network, files, JSON, logging or printing (data comes as a {@code Reader}).
 */
package dev.trainscope.engine;
