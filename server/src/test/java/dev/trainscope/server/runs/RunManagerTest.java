package dev.trainscope.server.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.server.json.EventCodec;
import dev.trainscope.server.log.RunStates;
import dev.trainscope.server.log.RunStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunManagerTest {
  @TempDir Path data;

  @Test
  void closingWhileRunsFinishRecordsAFinalStateForEachOfThem() throws Exception {
    RunStore store = new RunStore(data, new EventCodec());
    RunManager runs = new RunManager(store, 4);
    List<Run> started = new ArrayList<>();
    TrainingConfig config = TrainingConfig.builder().epochs(1).build();
    for (int i = 0; i < 12; i++) started.add(runs.start(config));
    // Some runs are finishing (closing their logs on a writer thread) as the server shuts down:
    // that must not interrupt the writer in the middle of recording the run's final state.
    runs.close();
    for (Run run : started) {
      String state = store.readMeta(run.log().directory()).state();
      assertThat(state)
          .as("run.json of %s", run.id())
          .isIn(RunStates.COMPLETED, RunStates.INTERRUPTED);
    }
  }
}
