package dev.trainscope.server.kafka;

import dev.trainscope.server.log.EventLog;
import dev.trainscope.server.log.EventLogContract;
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
  KafkaLogs writer;
  final List<KafkaLogs> others = new ArrayList<>();

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
  void open() {
    prefix = "t" + (prefixes++) + ".";
    writer = instance();
  }

  @AfterEach
  void closeAll() {
    writer.close();
    others.forEach(KafkaLogs::close);
  }

  private KafkaLogs instance() {
    return new KafkaLogs(KafkaLogs.clientProperties(broker.bootstrap()), prefix, CODEC);
  }

  @Override
  protected EventLog create(String runId) throws IOException {
    return writer.create(runId);
  }

  @Override
  protected EventLog view(EventLog written) {
    KafkaLogs other = instance();
    others.add(other);
    return other.follow(written.runId());
  }

  @Override
  protected EventLog reopen(EventLog written) throws IOException {
    EventLog again = view(written);
    // A restarted instance knows only the topic: it has read it once its terminal event arrived.
    again.sizes().blockLast(TIMEOUT);
    return again;
  }
}
