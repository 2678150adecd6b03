package dev.trainscope.server.runs;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.trainscope.engine.RunControl;
import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.server.log.Recovery;
import dev.trainscope.server.log.RunLog;
import dev.trainscope.server.log.RunMeta;
import dev.trainscope.server.log.RunStates;
import dev.trainscope.server.sweep.ConfigPaths;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One run known to the server: its log, its control (null for runs loaded from disk and for
 * external runs, which another process trains and pushes) and the figures of its summary, kept up
 * to date from its events.
 */
public final class Run {
  private final RunLog log;
  private final RunControl control;
  private final RunMeta meta;
  private final Object pushLock = new Object();
  private final LongSupplier clock;
  private volatile Map<String, Object> params;
  private final BestMetrics best = new BestMetrics();
  private final boolean controllable;
  private String state;
  private String request; // what an external run's trainer was last asked; null: carry on
  private TrainingEvent.ModelInfo model;
  private TrainingEvent.DatasetInfo dataset;
  private Integer lastEpoch;
  private int plannedEpochs; // of an external run: the pushed epochs' "epochs" when > 0
  private Double loss;
  private Double accuracy;
  private Double valLoss;
  private Double valAccuracy;
  private Long startedAt; // the run-started event's time
  private Long lastEventAt;
  private Long endedAt; // the terminal event's time (an interrupted run: its last real event's)

  Run(RunLog log, RunControl control, String state, LongSupplier clock) {
    this(log, control, state, clock, false);
  }

  /** {@code controllable}: an external run whose trainer reads {@link #controlRequest}. */
  Run(RunLog log, RunControl control, String state, LongSupplier clock, boolean controllable) {
    this.controllable = controllable;
    this.log = log;
    this.control = control;
    this.meta = log.meta();
    this.state = state;
    this.clock = clock;
    this.params = meta.config() != null ? ConfigPaths.flatten(meta.config()) : meta.params();
  }

  public String id() {
    return meta.id();
  }

  public RunLog log() {
    return log;
  }

  /** The config the engine trains; null for an external run. */
  public TrainingConfig config() {
    return meta.config();
  }

  /** True for a run another process trains and pushes (push API, Keras RemoteMonitor). */
  public boolean isExternal() {
    return meta.external();
  }

  /**
   * Replaces an external run's hyperparameters, for intakes whose params arrive after the run is
   * created (MLflow's {@code log-param}); the caller stores them.
   */
  public void setParams(Map<String, Object> next) {
    params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(next));
  }

  /** True for an external run whose trainer takes pause and stop requests. */
  public boolean isControllable() {
    return controllable;
  }

  /**
   * What a controllable run's trainer is asked to do: {@link #PAUSE}, {@link #STOP}, or null to
   * carry on. It follows the run's {@code status} events, so the log is its one record.
   */
  public synchronized String controlRequest() {
    return request;
  }

  public static final String PAUSE = "pause";
  public static final String STOP = "stop";

  /** The request a {@code status} event records: pause, stop, or null (resumed). */
  public static String controlOf(TrainingEvent.Status s) {
    return switch (s.state()) {
      case TrainingEvent.Status.PAUSED -> PAUSE;
      case TrainingEvent.Status.RESUMED -> null;
      default -> STOP;
    };
  }

  /** The lock under which pushed events are validated and appended, one batch at a time. */
  Object pushLock() {
    return pushLock;
  }

  public synchronized String state() {
    return state;
  }

  public synchronized boolean isFinished() {
    return RunStates.isFinal(state);
  }

  RunControl control() {
    return control;
  }

  /** Whether the engine trains it here, so it takes hand edits of its weights. */
  public boolean isEditable() {
    return control != null && !isExternal();
  }

  /** Queues a hand edit for the training thread (see {@link RunControl#editWeight}). */
  public void editWeight(dev.trainscope.engine.WeightEdit edit) {
    control.editWeight(edit);
  }

  /** Queues a new probe for the training thread (see {@link RunControl#chooseProbe}). */
  public void chooseProbe(dev.trainscope.engine.ProbeChoice choice) {
    control.chooseProbe(choice);
  }

  synchronized void setState(String newState) {
    if (!RunStates.isFinal(state)) state = newState;
  }

  /** Updates state and figures from one event of this run. */
  synchronized void observe(TrainingEvent event) {
    if (event instanceof TrainingEvent.Status s
        && TrainingEvent.Status.INTERRUPTED.equals(s.state())) {
      endedAt = lastEventAt != null ? lastEventAt : s.time(); // not the restart that found it
    } else {
      lastEventAt = event.time();
      if (event.isTerminal()) endedAt = event.time();
    }
    if (event instanceof TrainingEvent.RunStarted s) {
      startedAt = s.time();
      model = s.model();
      dataset = s.dataset();
      if (RunStates.QUEUED.equals(state)) state = RunStates.RUNNING;
    } else if (event instanceof TrainingEvent.Epoch e) {
      lastEpoch = e.epoch();
      if (e.epochs() > 0) plannedEpochs = e.epochs();
      loss = e.loss();
      accuracy = e.accuracy();
      valLoss = e.valLoss();
      valAccuracy = e.valAccuracy();
      best.observe(e.epoch(), loss, accuracy, valLoss, valAccuracy);
    } else if (event instanceof TrainingEvent.Status s) {
      request = controlOf(s);
      switch (s.state()) {
        case TrainingEvent.Status.PAUSED -> setState(RunStates.PAUSED);
        case TrainingEvent.Status.RESUMED -> setState(RunStates.RUNNING);
        case TrainingEvent.Status.STOPPED -> {
          // an external run has been asked to stop; it ends when its trainer says so
          if (!meta.external()) setState(RunStates.STOPPED);
        }
        default -> state = RunStates.INTERRUPTED;
      }
    } else if (event instanceof TrainingEvent.RunCompleted c) {
      if (c.loss() != null) loss = c.loss();
      if (c.accuracy() != null) accuracy = c.accuracy();
      if (c.valLoss() != null) valLoss = c.valLoss();
      if (c.valAccuracy() != null) valAccuracy = c.valAccuracy();
      state = c.stopped() ? RunStates.STOPPED : RunStates.COMPLETED;
    } else if (event instanceof TrainingEvent.RunFailed) {
      state = RunStates.FAILED;
    }
  }

  /** Marks a run failed when its training could not even be recorded. */
  synchronized void fail() {
    state = RunStates.FAILED;
  }

  /** The last epoch's figures, for the {@code run-completed} of an external run's finish. */
  synchronized Double[] lastMetrics() {
    return new Double[] {loss, accuracy, valLoss, valAccuracy};
  }

  synchronized int lastEpochOrZero() {
    return lastEpoch == null ? 0 : lastEpoch;
  }

  /** Planned epochs: the config's, or for an external run the pushed ones' (else the last). */
  private int epochs() {
    if (meta.config() != null) return meta.config().epochs();
    if (plannedEpochs > 0) return plannedEpochs;
    return lastEpoch == null ? 0 : lastEpoch;
  }

  /** The model its {@code run-started} described, or null before it started. */
  public synchronized TrainingEvent.ModelInfo model() {
    return model;
  }

  /** The data set its {@code run-started} described, or null before it started. */
  public synchronized TrainingEvent.DatasetInfo datasetInfo() {
    return dataset;
  }

  public synchronized Summary summary() {
    return new Summary(
        id(),
        meta.name(),
        state,
        meta.createdAt(),
        dataset(),
        epochs(),
        lastEpoch,
        loss,
        accuracy,
        valLoss,
        valAccuracy,
        meta.external(),
        log.isReadOnly(),
        meta.kind(),
        meta.sweep(),
        params,
        best.asMap(),
        durationMs(),
        controllable,
        controllable ? request : null);
  }

  /** From run-started to the end, or to now while the run goes on; null before it starts. */
  private Long durationMs() {
    if (startedAt == null) return null;
    long end;
    if (endedAt != null) end = endedAt;
    else if (RunStates.isFinal(state)) end = lastEventAt;
    else end = clock.getAsLong();
    return Math.max(0, end - startedAt);
  }

  public synchronized Detail detail() {
    return new Detail(summary(), log.size(), meta.config(), model, log.recovery());
  }

  /** The data set's name; null for an external run (its trainer does not say). */
  private String dataset() {
    return meta.config() == null ? null : meta.config().dataset();
  }

  public record Summary(
      String id,
      String name,
      String state,
      long createdAt,
      String dataset,
      int epochs,
      Integer lastEpoch,
      Double loss,
      Double accuracy,
      Double valLoss,
      Double valAccuracy,
      boolean external,
      boolean readOnly,
      String kind,
      String sweep,
      Map<String, Object> params,
      Map<String, BestMetrics.Best> best,
      Long durationMs,
      boolean controllable,
      String control) {}

  /**
   * A run as {@code GET /api/runs/{id}} shows it: the summary, its config and model, and what
   * recovery found in its files when that was not a clean log (null otherwise).
   */
  public record Detail(
      @JsonUnwrapped Summary summary,
      long events,
      TrainingConfig config,
      TrainingEvent.ModelInfo model,
      Recovery recovery) {}
}
