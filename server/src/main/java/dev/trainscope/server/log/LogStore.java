package dev.trainscope.server.log;

import dev.trainscope.engine.event.TrainingEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where runs' logs live: the data directory ({@link RunStore}, the default) or a Kafka cluster
 * shared by several instances.
 */
public interface LogStore {
  /**
   * Creates a run's log (state and config as {@code meta} records them).
   *
   * @throws java.nio.file.FileAlreadyExistsException when the run id is taken
   */
  EventLog create(RunMeta meta) throws IOException;

  /** Removes a run whose creation was never acknowledged. */
  void discard(EventLog log);

  /** The ids of every stored run. */
  List<String> runIds() throws IOException;

  /** Loads a stored run, handing each of its events to {@code onEvent} in order. */
  EventLog load(String runId, Consumer<TrainingEvent> onEvent) throws IOException;

  /** Where this instance keeps the files of runs that are its own (MLflow's metric values). */
  Path runsDirectory();

  /** Events written since the store was opened. */
  long eventsWritten();

  /** For the start-up line: "Loaded N runs from ...". */
  default String location() {
    return runsDirectory().toString();
  }

  /**
   * Runs that other instances create from now on, each with the consumer its events go to once the
   * caller has set one up; the file store has no other instances.
   */
  default void onRunsCreatedElsewhere(
      java.util.function.Function<EventLog, Consumer<TrainingEvent>> onRun) {}

  default void close() {}
}
