package dev.trainscope.server.log;

import dev.trainscope.engine.event.TrainingEvent;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import reactor.core.publisher.Flux;

/**
 * One run's events, in sequence order without gaps: the seam between the server and where events
 * are kept, in a local file ({@link RunLog}, the default) or a Kafka topic. One writer per run
 * appends; any number of readers read from any seq at their own pace.
 *
 * <p>Every implementation passes the same contract tests: appends are readable in order with the
 * seqs they were written with; {@link #writeThrough} returns only once its events are stored (what
 * an acknowledgement promises); readers learn of new events from {@link #sizes()}, which completes
 * once the log is closed; a write that cannot be stored throws and leaves no gap.
 */
public interface EventLog extends Closeable {
  String runId();

  /** The number of events stored (and readable) so far. */
  long size();

  /** True once the log holds a terminal event or was closed. */
  boolean isFinished();

  /** The final state: that of the terminal event, or the one {@link #close(String)} recorded. */
  String finalState();

  /** Appends one event (its seq must be {@link #size()}) and tells readers. */
  LogLine append(TrainingEvent event) throws IOException;

  /** As {@link #append} without telling readers yet: {@link #publish()} follows a burst. */
  LogLine write(TrainingEvent event) throws IOException;

  /** Appends events a client waits for; returns once they are stored, then tells readers. */
  List<LogLine> writeThrough(List<TrainingEvent> events) throws IOException;

  /** Tells readers how many events are stored now. */
  void publish() throws IOException;

  /** Stores what was written so far. */
  void flush() throws IOException;

  /** The number of events readable so far, each time it grows; completes when the log closes. */
  Flux<Long> sizes();

  /** A reader with its own cursor. */
  EventReader reader() throws IOException;

  /**
   * Closes the log, recording {@code unfinishedState} when it holds no terminal event: the file log
   * in {@code run.json}, the Kafka log as a last {@code status interrupted} event, since other
   * instances know the run only from its topic.
   */
  void close(String unfinishedState) throws IOException;

  @Override
  default void close() throws IOException {
    close(RunStates.INTERRUPTED);
  }
}
