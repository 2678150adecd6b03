package dev.trainscope.server.log;

import dev.trainscope.engine.config.TrainingConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The contents of a run's {@code run.json}: what was trained, when, and the run's state as last
 * recorded ({@code running} while a writer holds the log, then the final state). An {@code
 * external} run is trained by another process that pushes its events; it has no config (null).
 *
 * @param kind who trains the run: {@link #ENGINE} (this server), {@link #HEADLESS} ({@code train}),
 *     {@link #PUSHED} (the push API), {@link #KERAS} (RemoteMonitor) or {@link #MLFLOW} (MLflow's
 *     tracking API); a {@code run.json} written before kinds were recorded reads as engine, or
 *     pushed when external
 * @param sweep the id of the sweep the run belongs to, or null
 * @param params an external run's hyperparameters as its trainer sent them (empty otherwise)
 */
public record RunMeta(
    String id,
    String name,
    TrainingConfig config,
    String state,
    long createdAt,
    Long endedAt,
    boolean external,
    String kind,
    String sweep,
    Map<String, Object> params) {
  public static final String ENGINE = "engine";
  public static final String HEADLESS = "headless";
  public static final String PUSHED = "pushed";
  public static final String KERAS = "keras";
  public static final String MLFLOW = "mlflow";
  public static final List<String> KINDS = List.of(ENGINE, HEADLESS, PUSHED, KERAS, MLFLOW);

  public RunMeta {
    if (kind == null) kind = external ? PUSHED : ENGINE;
    if (!KINDS.contains(kind)) {
      throw new IllegalArgumentException("kind one of " + KINDS + " required but was " + kind);
    }
    params = params == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  /** A run the engine trains ({@link #ENGINE} here, {@link #HEADLESS} in {@code train}). */
  public static RunMeta trained(
      String id, TrainingConfig config, String state, long createdAt, String kind, String sweep) {
    return new RunMeta(id, config.name(), config, state, createdAt, null, false, kind, sweep, null);
  }

  /** A run another process trains and pushes: no config, state {@code running}. */
  public static RunMeta external(
      String id, String name, long createdAt, String kind, Map<String, Object> params) {
    return new RunMeta(
        id, name, null, RunStates.RUNNING, createdAt, null, true, kind, null, params);
  }

  public RunMeta withState(String newState, Long newEndedAt) {
    return new RunMeta(
        id, name, config, newState, createdAt, newEndedAt, external, kind, sweep, params);
  }
}
