package dev.trainscope.server.kafka;

import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.server.log.EventLog;
import dev.trainscope.server.log.EventLogContract;
import dev.trainscope.server.log.RunMeta;
import dev.trainscope.server.log.RunStates;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka log against the shared {@link EventLogContract}, on an in-process broker: a view is
 * another instance's (its own producer, admin and tail), so everything it reads came through the
 * topic.
 */
class KafkaEventLogContractTest extends EventLogContract {
  @TempDir static Path dir;
  static KafkaBroker broker;
  static int prefixes;
  KafkaStore writer;
  final List<KafkaStore> others = new ArrayList<>();

  @BeforeAll
  static void startBroker() {
    broker = KafkaBroker.start(dir);
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  /** Each test its own topics: a run id names the test, the prefix the test's turn. */
  String prefix;

  @BeforeEach
  void open() throws IOException {
    prefix = "t" + (prefixes++) + ".";
    writer = instance();
  }

  @AfterEach
  void closeAll() {
    writer.close();
    others.forEach(KafkaStore::close);
  }

  private KafkaStore instance() throws IOException {
    return new KafkaStore(
        KafkaStore.clientProperties(broker.bootstrap()),
        prefix,
        CODEC,
        dir,
        "instance-a",
        java.time.Duration.ofSeconds(10));
  }

  @Override
  protected EventLog create(String runId) throws IOException {
    return writer.create(
        RunMeta.trained(
            runId, TrainingConfig.defaults(), RunStates.RUNNING, 1, RunMeta.ENGINE, null));
  }

  /** Another instance: it finds the run in the runs topic and reads the run's topic. */
  @Override
  protected EventLog view(EventLog written) throws IOException {
    KafkaStore other = instance();
    others.add(other);
    other.runIds();
    return other.load(written.runId(), e -> {});
  }

  @Override
  protected EventLog reopen(EventLog written) throws IOException {
    EventLog again = view(written);
    // A restarted instance knows only the topic: it has read it once its terminal event arrived.
    again.sizes().blockLast(TIMEOUT);
    return again;
  }
}
