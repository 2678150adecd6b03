package dev.trainscope.server.runs;

/** The run cannot do what was asked in its current state (finished, or not external): a 409. */
public final class RunConflictException extends IllegalStateException {
  public RunConflictException(String message) {
    super(message);
  }
}
