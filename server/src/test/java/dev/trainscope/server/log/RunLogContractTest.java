package dev.trainscope.server.log;

import dev.trainscope.engine.config.TrainingConfig;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The file log against the shared {@link EventLogContract}. */
class RunLogContractTest extends EventLogContract {
  @TempDir Path data;

  @Override
  protected EventLog create(String runId) throws IOException {
    return new RunStore(data, CODEC).create(runId, TrainingConfig.defaults());
  }

  @Override
  protected EventLog view(EventLog written) {
    return written; // readers of one file share its log
  }

  @Override
  protected EventLog reopen(EventLog written) throws IOException {
    return new RunStore(data, CODEC).load(written.runId(), e -> {});
  }
}
