package dev.trainscope.server.runs;

import dev.trainscope.engine.RunControl;
import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.server.log.RunLog;
import dev.trainscope.server.log.RunMeta;
import dev.trainscope.server.log.RunStates;

/**
 * One run known to the server: its log, its control (null for runs loaded from disk) and the
 * figures of its summary, kept up to date from its events.
 */
public final class Run {
  private final RunLog log;
  private final RunControl control;
  private final RunMeta meta;
  private String state;
  private TrainingEvent.ModelInfo model;
  private Integer lastEpoch;
  private Double loss;
  private Double accuracy;
  private Double valLoss;
  private Double valAccuracy;

  Run(RunLog log, RunControl control, String state) {
    this.log = log;
    this.control = control;
    this.meta = log.meta();
    this.state = state;
  }

  public String id() {
    return meta.id();
  }

  public RunLog log() {
    return log;
  }

  public TrainingConfig config() {
    return meta.config();
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

  synchronized void setState(String newState) {
    if (!RunStates.isFinal(state)) state = newState;
  }

  /** Updates state and figures from one event of this run. */
  synchronized void observe(TrainingEvent event) {
    if (event instanceof TrainingEvent.RunStarted s) {
      model = s.model();
      if (RunStates.QUEUED.equals(state)) state = RunStates.RUNNING;
    } else if (event instanceof TrainingEvent.Epoch e) {
      lastEpoch = e.epoch();
      loss = e.loss();
      accuracy = e.accuracy();
      valLoss = e.valLoss();
      valAccuracy = e.valAccuracy();
    } else if (event instanceof TrainingEvent.Status s) {
      switch (s.state()) {
        case TrainingEvent.Status.PAUSED -> setState(RunStates.PAUSED);
        case TrainingEvent.Status.RESUMED -> setState(RunStates.RUNNING);
        case TrainingEvent.Status.STOPPED -> setState(RunStates.STOPPED);
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

  public synchronized Summary summary() {
    return new Summary(
        id(), meta.name(), state, meta.createdAt(), meta.config().epochs(), lastEpoch, loss,
        accuracy, valLoss, valAccuracy);
  }

  public synchronized Detail detail() {
    return new Detail(
        id(), meta.name(), state, meta.createdAt(), meta.config().epochs(), lastEpoch, loss,
        accuracy, valLoss, valAccuracy, log.size(), meta.config(), model);
  }

  /** A run as {@code GET /api/runs} lists it. */
  public record Summary(
      String id,
      String name,
      String state,
      long createdAt,
      int epochs,
      Integer lastEpoch,
      Double loss,
      Double accuracy,
      Double valLoss,
      Double valAccuracy) {}

  /** A run as {@code GET /api/runs/{id}} shows it: the summary, its config and model. */
  public record Detail(
      String id,
      String name,
      String state,
      long createdAt,
      int epochs,
      Integer lastEpoch,
      Double loss,
      Double accuracy,
      Double valLoss,
      Double valAccuracy,
      long events,
      TrainingConfig config,
      TrainingEvent.ModelInfo model) {}
}
