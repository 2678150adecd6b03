package dev.trainscope.server.log;

import dev.trainscope.engine.event.TrainingEvent;
import java.util.List;

/** The states of a run as the API and {@code run.json} name them. */
public final class RunStates {
  public static final String QUEUED = "queued";
  public static final String RUNNING = "running";
  public static final String PAUSED = "paused";
  public static final String COMPLETED = "completed";
  public static final String FAILED = "failed";
  public static final String STOPPED = "stopped";
  public static final String INTERRUPTED = "interrupted";

  public static final List<String> ALL =
      List.of(QUEUED, RUNNING, PAUSED, COMPLETED, FAILED, STOPPED, INTERRUPTED);

  private RunStates() {}

  public static boolean isFinal(String state) {
    return COMPLETED.equals(state)
        || FAILED.equals(state)
        || STOPPED.equals(state)
        || INTERRUPTED.equals(state);
  }

  /** The final state a terminal event puts a run in, or null when the event is not terminal. */
  public static String finalStateOf(TrainingEvent event) {
    if (event instanceof TrainingEvent.RunCompleted c) return c.stopped() ? STOPPED : COMPLETED;
    if (event instanceof TrainingEvent.RunFailed) return FAILED;
    if (event instanceof TrainingEvent.Status s
        && TrainingEvent.Status.INTERRUPTED.equals(s.state())) {
      return INTERRUPTED;
    }
    return null;
  }
}
