package dev.trainscope.server.log;

import dev.trainscope.engine.config.TrainingConfig;

/**
 * The contents of a run's {@code run.json}: what was trained, when, and the run's state as last
 * recorded ({@code running} while a writer holds the log, then the final state). An {@code
 * external} run is trained by another process that pushes its events; it has no config (null).
 */
public record RunMeta(
    String id,
    String name,
    TrainingConfig config,
    String state,
    long createdAt,
    Long endedAt,
    boolean external) {

  public RunMeta withState(String newState, Long newEndedAt) {
    return new RunMeta(id, name, config, newState, createdAt, newEndedAt, external);
  }
}
