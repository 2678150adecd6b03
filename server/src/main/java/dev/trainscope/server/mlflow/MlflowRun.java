package dev.trainscope.server.mlflow;

import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.server.remote.MetricNames;
import dev.trainscope.server.runs.Run;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import reactor.core.Disposable;

/**
 * What MLflow knows of one run beyond its Trainscope events: experiment, user, MLflow status and
 * times, params and tags (stored in the run's {@code mlflow.json}), the latest value of each
 * metric, and the metrics of the step being logged, which become one {@code epoch} event once the
 * step is complete (a metric of another step arrives, the run ends, or no metric came for a while).
 * Guarded by its own monitor.
 */
public final class MlflowRun {
  /** One logged value, as {@code metrics/get-history} returns it. */
  public record Metric(String key, double value, long timestamp, long step) {}

  /** The part of {@code mlflow.json} that changes: MLflow's own view of the run. */
  public record Info(
      String experimentId,
      String userId,
      String runName,
      String status,
      long startTime,
      Long endTime,
      Map<String, String> params,
      Map<String, String> tags) {
    public Info {
      params = params == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(params));
      tags = tags == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }
  }

  private final Run run;
  private Info info;
  private final Map<String, Metric> latest = new LinkedHashMap<>();
  private Long pendingStep;
  private final Map<String, Double> pending = new LinkedHashMap<>();
  Disposable flushTimer;

  MlflowRun(Run run, Info info) {
    this.run = run;
    this.info = info;
  }

  public Run run() {
    return run;
  }

  public String id() {
    return run.id();
  }

  public synchronized Info info() {
    return info;
  }

  synchronized void info(Info next) {
    info = next;
  }

  /** The latest value of each metric: the highest step, then the latest timestamp. */
  public synchronized Map<String, Metric> latest() {
    return Map.copyOf(latest);
  }

  synchronized void observe(Metric m) {
    Metric was = latest.get(m.key());
    if (was == null
        || m.step() > was.step()
        || (m.step() == was.step() && m.timestamp() >= was.timestamp())) {
      latest.put(m.key(), m);
    }
  }

  /**
   * Adds a metric to the step being collected; returns the finished step's epoch fields when this
   * metric starts another step (then collected anew), else null.
   */
  synchronized Map<String, Double> collect(Metric m, long[] finishedStep) {
    Map<String, Double> done = null;
    if (pendingStep != null && pendingStep != m.step()) {
      done = new LinkedHashMap<>(pending);
      finishedStep[0] = pendingStep;
      pending.clear();
    }
    pendingStep = m.step();
    pending.put(m.key(), m.value());
    return done;
  }

  /** Takes the collected step (null when none), leaving nothing collected. */
  synchronized Map<String, Double> takePending(long[] step) {
    if (pendingStep == null) return null;
    step[0] = pendingStep;
    Map<String, Double> done = new LinkedHashMap<>(pending);
    pending.clear();
    pendingStep = null;
    return done;
  }

  /** The {@code epoch} event of one step: epoch = step + 1 (MLflow steps count from 0). */
  static TrainingEvent.Epoch epoch(
      String runId, long seq, long time, long step, Map<String, Double> m) {
    int epoch = (int) Math.min(Integer.MAX_VALUE, Math.max(1, step + 1));
    return MetricNames.epoch(runId, seq, time, epoch, m);
  }
}
