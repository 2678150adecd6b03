package dev.trainscope.server.cli;

import dev.trainscope.engine.RunControl;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * While open, a Ctrl-C or SIGTERM stops the run instead of killing it mid-epoch: the shutdown hook
 * asks the run to stop and holds the exit until {@link #close()} (the log is closed and the summary
 * printed), so {@code run.json} records {@code stopped}, not {@code running}.
 */
final class StopOnSignal implements AutoCloseable {
  /** How long an exit waits for the run to end; a stuck run must not make the JVM unkillable. */
  static final long GRACE_SECONDS = 30;

  private final CountDownLatch closed = new CountDownLatch(1);
  private final Thread hook;
  private volatile boolean signalled;

  StopOnSignal(RunControl control) {
    this(control::stop);
  }

  /** As {@link #StopOnSignal(RunControl)}, running {@code stop} (e.g. stopping every run). */
  StopOnSignal(Runnable stop) {
    hook =
        new Thread(
            () -> {
              signalled = true;
              stop.run();
              try {
                closed.await(GRACE_SECONDS, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "trainscope-stop");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Whether the process was asked to exit while the run was open. */
  boolean signalled() {
    return signalled;
  }

  @Override
  public void close() {
    closed.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running: it returns now that the latch is open.
    }
  }
}
