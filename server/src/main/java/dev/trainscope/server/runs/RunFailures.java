package dev.trainscope.server.runs;

import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.server.log.EventLog;
import dev.trainscope.server.log.RunStates;
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
  private final BiConsumer<String, EventLog> finished;
  private final Map<String, EventLog> waitingForRoom = new ConcurrentHashMap<>();
  private volatile boolean closing;

  /** {@code finished} closes a run's log once its {@code run-failed} is written. */
  RunFailures(Scheduler disk, LongSupplier clock, BiConsumer<String, EventLog> finished) {
    this.disk = disk;
    this.clock = clock;
    this.finished = finished;
  }

  void failed(Run run, EventLog runLog, Throwable error) {
    Throwable cause = error instanceof UncheckedIOException u ? u.getCause() : error;
    boolean storage = cause instanceof StorageException;
    if (storage) log.warn("Run {} failed: {}", run.id(), cause.getMessage());
    else log.error("Run {} failed unexpectedly", run.id(), error);
    String code =
        storage ? TrainingEvent.RunFailed.STORAGE_ERROR : TrainingEvent.RunFailed.INTERNAL_ERROR;
    String why =
        storage ? cause.getMessage() : error.getClass().getSimpleName() + ": " + error.getMessage();
    Exception notRecorded = runLog.isFinished() ? null : record(run, runLog, code, why);
    if (notRecorded == null) {
      finished.accept(run.id(), runLog);
      return;
    }
    run.fail();
    if (!(notRecorded instanceof StorageException)) {
      log.warn("Run {}: cannot record the failure: {}", run.id(), notRecorded.toString());
      finished.accept(run.id(), runLog);
      return;
    }
    log.warn("Run {}: cannot record the failure yet; trying again until there is room", run.id());
    waitingForRoom.put(run.id(), runLog);
    retryLater(run, runLog, code, why);
  }

  private void retryLater(Run run, EventLog runLog, String code, String why) {
    try {
      disk.schedule(
          () -> {
            if (closing) return;
            Exception notRecorded = record(run, runLog, code, why);
            if (notRecorded instanceof StorageException) {
              retryLater(run, runLog, code, why); // still no room
              return;
            }
            waitingForRoom.remove(run.id());
            if (notRecorded == null) log.info("Run {}: its failure is recorded now", run.id());
            else
              log.warn("Run {}: cannot record the failure: {}", run.id(), notRecorded.toString());
            finished.accept(run.id(), runLog);
          },
          RETRY_MS,
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // Shutting down: close() ends the log.
    }
  }

  /** Appends the run-failed; null when it is stored, else why not. */
  private Exception record(Run run, EventLog runLog, String code, String why) {
    try {
      TrainingEvent failed =
          new TrainingEvent.RunFailed(
              run.id(), runLog.size(), clock.getAsLong(), run.lastEpochOrZero(), code, why);
      runLog.append(failed);
      run.observe(failed);
      return null;
    } catch (IOException | RuntimeException e) {
      return e;
    }
  }

  /** Stops retrying; the logs still waiting end as they are, recorded failed in run.json. */
  void close() {
    closing = true;
    waitingForRoom.forEach(
        (id, runLog) -> {
          try {
            runLog.close(RunStates.FAILED);
          } catch (IOException e) {
            log.warn("Run {}: cannot close its log: {}", id, e.toString());
          }
        });
    waitingForRoom.clear();
  }
}
