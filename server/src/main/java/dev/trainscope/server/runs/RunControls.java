package dev.trainscope.server.runs;

import dev.trainscope.engine.RunControl;
import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.server.log.RunStates;
import java.io.IOException;
import java.util.List;

/**
 * Pause, resume, step and stop: an engine run's {@link RunControl} takes them at its next epoch
 * boundary; a controllable external run's request is appended to its log as a {@code status} event,
 * which its trainer reads from push answers or the control stream.
 */
final class RunControls {
  private RunControls() {}

  /** Returns false when the run has already finished. */
  static boolean engine(Run run, String action) {
    RunControl control = run.control();
    if (control == null || run.isFinished()) return false;
    switch (action) {
      case "pause" -> {
        control.pause();
        run.setState(RunStates.PAUSED);
      }
      case "resume" -> {
        control.resume();
        if (RunStates.PAUSED.equals(run.state())) run.setState(RunStates.RUNNING);
      }
      case "step" -> control.step();
      case "stop" -> {
        control.stop();
        if (control.isPaused()) control.resume();
        run.setState(RunStates.STOPPED);
      }
      default -> throw new IllegalArgumentException("unknown action " + action);
    }
    return true;
  }

  /**
   * Returns false when the run has already finished. Blocking (appends to the log).
   *
   * @throws RunConflictException when the run is not controllable, and for {@code step}
   */
  static boolean external(RunManager runs, Run run, String action) throws IOException {
    if (!run.isControllable() || action.equals("step")) {
      throw new RunConflictException(
          "run "
              + run.id()
              + (run.isControllable()
                  ? " is external: its trainer takes pause, resume and stop, not step"
                  : " is external and not controllable: its own trainer controls it, it cannot "
                      + action
                      + " here"));
    }
    String state =
        switch (action) {
          case "pause" -> TrainingEvent.Status.PAUSED;
          case "resume" -> TrainingEvent.Status.RESUMED;
          case "stop" -> TrainingEvent.Status.STOPPED;
          default -> throw new IllegalArgumentException("unknown action " + action);
        };
    try {
      runs.appendExternal(
          run,
          seq ->
              List.of(
                  new TrainingEvent.Status(
                      run.id(), seq, runs.clock().getAsLong(), state, run.lastEpochOrZero())));
    } catch (RunConflictException finished) {
      return false;
    }
    return true;
  }
}
