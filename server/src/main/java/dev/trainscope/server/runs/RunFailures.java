package dev.trainscope.server.runs;

import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.server.log.RunLog;
import dev.trainscope.server.log.StorageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Scheduler;

/**
 * Ends a training run that failed with a {@code run-failed} naming the reason. When its log cannot
 * take even that (the disk is full), the run shows {@code failed} at once, its log stays readable
 * as it is, and the {@code run-failed} is tried again every {@value #RETRY_MS} ms on the disk
 * scheduler until it fits: the log ends with the reason once space allows.
 */
final class RunFailures {
  static final long RETRY_MS = 1000;
  private static final Logger log = LoggerFactory.getLogger(RunFailures.class);

  private final Scheduler disk;
  private final LongSupplier clock;
  private final BiConsumer<String, RunLog> finished;
  private final Map<String, RunLog> waitingForRoom = new ConcurrentHashMap<>();
  private volatile boolean closing;

  /** {@code finished} closes a run's log once its {@code run-failed} is written. */
  RunFailures(Scheduler disk, LongSupplier clock, BiConsumer<String, RunLog> finished) {
    this.disk = disk;
    this.clock = clock;
    this.finished = finished;
  }

  void failed(Run run, RunLog runLog, Throwable error) {
    Throwable cause = error instanceof UncheckedIOException u ? u.getCause() : error;
    boolean storage = cause instanceof StorageException;
    if (storage) log.warn("Run {} failed: {}", run.id(), cause.getMessage());
    else log.error("Run {} failed unexpectedly", run.id(), error);
    String code = storage ? "storage-error" : "internal-error";
    String why =
        storage ? cause.getMessage() : error.getClass().getSimpleName() + ": " + error.getMessage();
    if (runLog.isFinished() || record(run, runLog, code, why)) {
      finished.accept(run.id(), runLog);
      return;
    }
    log.warn("Run {}: cannot record the failure yet; trying again until there is room", run.id());
    run.fail();
    waitingForRoom.put(run.id(), runLog);
    retryLater(run, runLog, code, why);
  }

  private void retryLater(Run run, RunLog runLog, String code, String why) {
    try {
      disk.schedule(
          () -> {
            if (closing) return;
            if (record(run, runLog, code, why)) {
              waitingForRoom.remove(run.id());
              log.info("Run {}: its failure is recorded now", run.id());
              finished.accept(run.id(), runLog);
            } else {
              retryLater(run, runLog, code, why);
            }
          },
          RETRY_MS,
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // Shutting down: close() ends the log.
    }
  }

  private boolean record(Run run, RunLog runLog, String code, String why) {
    try {
      TrainingEvent failed =
          new TrainingEvent.RunFailed(
              run.id(), runLog.size(), clock.getAsLong(), run.lastEpochOrZero(), code, why);
      runLog.append(failed);
      run.observe(failed);
      return true;
    } catch (IOException | RuntimeException e) {
      log.debug("Run {}: cannot record the failure: {}", run.id(), e.toString());
      return false;
    }
  }

  /** Stops retrying; the logs still waiting end as they are, recorded failed in run.json. */
  void close() {
    closing = true;
    waitingForRoom.forEach(
        (id, runLog) -> {
          try {
            runLog.close(dev.trainscope.server.log.RunStates.FAILED);
          } catch (IOException e) {
            log.warn("Run {}: cannot close its log: {}", id, e.toString());
          }
        });
    waitingForRoom.clear();
  }
}
