package dev.trainscope.server.kafka;

import static dev.trainscope.server.ServerFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trainscope.server.ServerConfig;
import dev.trainscope.server.ServerFixture;
import dev.trainscope.server.ServerFixture.Response;
import dev.trainscope.server.ServerFixture.Sse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** Two servers on one Kafka cluster: each lists and streams every run; one writes each. */
class TwoInstancesTest {
  @TempDir static Path brokerDir;
  static KafkaBroker broker;
  static int prefixes;

  @TempDir Path dataA;
  @TempDir Path dataB;
  String prefix;
  ServerFixture a;
  ServerFixture b;

  @BeforeAll
  static void startBroker() {
    broker = KafkaBroker.start(brokerDir);
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @BeforeEach
  void start() throws Exception {
    prefix = "two" + (prefixes++) + ".";
    a = instance(dataA);
    b = instance(dataB);
  }

  @AfterEach
  void stop() {
    if (a != null) a.close();
    if (b != null) b.close();
  }

  private ServerFixture instance(Path data) throws Exception {
    ServerConfig.Kafka kafka =
        new ServerConfig.Kafka(
            KafkaStore.clientProperties(broker.bootstrap()), prefix, Duration.ofSeconds(3));
    return new ServerFixture(ServerFixture.config(data).toBuilder().kafka(kafka).build());
  }

  /** The run's id once instance {@code on} streams its first event on /api/events. */
  private static String startSeenOn(ServerFixture starter, ServerFixture on, String config) {
    String[] id = new String[1];
    Sinks.Empty<Void> opened = Sinks.empty();
    StepVerifier.create(on.sse("/api/events", opened).filter(e -> e.event().equals("run-started")))
        .then(() -> opened.asMono().block(TIMEOUT))
        .then(() -> id[0] = starter.startRun(config))
        .expectNextMatches(e -> e.data().contains("\"runId\":\"" + id[0] + "\""))
        .thenCancel()
        .verify(TIMEOUT);
    return id[0];
  }

  @Test
  void aRunStartedOnAIsListedAndStreamedFromBByteForByteAndResumedThere() {
    String id = startSeenOn(a, b, "{\"epochs\": 15, \"epochDelayMs\": 10}");
    List<Sse> fromB = b.awaitFinished(id);
    List<Sse> fromA = a.awaitFinished(id);
    assertThat(fromB).isEqualTo(fromA);
    assertThat(fromB.get(fromB.size() - 1).event()).isEqualTo("run-completed");
    assertThat(b.get("/api/runs/" + id + "/events.ndjson").body())
        .isEqualTo(a.get("/api/runs/" + id + "/events.ndjson").body());
    assertThat(b.get("/api/runs/" + id + "/metrics.csv").body())
        .isEqualTo(a.get("/api/runs/" + id + "/metrics.csv").body());
    Response listed = b.get("/api/runs/" + id);
    assertThat(listed.json().get("state").asText()).isEqualTo("completed");
    assertThat(listed.json().get("lastEpoch").asInt()).isEqualTo(15);

    List<Sse> resumed =
        b.sse("/api/runs/" + id + "/events", Map.of("Last-Event-ID", "10"))
            .collectList()
            .block(TIMEOUT);
    assertThat(resumed).isEqualTo(fromA.subList(11, fromA.size()));
  }

  @Test
  void pushesAndControlsThroughBAreRefusedNamingTheInstanceThatWritesTheRun() {
    Response created = a.post("/api/runs", "{\"external\": true, \"controllable\": true}");
    String id = created.json().get("id").asText();
    String push =
        "{\"type\": \"epoch\", \"epoch\": 1, \"epochs\": 5, \"loss\": 0.5, \"accuracy\": 0.5}";
    // B learns of the run from the runs topic: wait for its record there, then push through B.
    Sinks.Empty<Void> opened = Sinks.empty();
    StepVerifier.create(
            b.sse("/api/events", opened)
                .filter(e -> e.event().equals("epoch") && e.data().contains(id)))
        .then(() -> opened.asMono().block(TIMEOUT))
        .then(() -> assertThat(a.post("/api/runs/" + id + "/events", push).status()).isEqualTo(200))
        .expectNextCount(1)
        .thenCancel()
        .verify(TIMEOUT);
    Response viaB =
        b.post("/api/runs/" + id + "/events", push.replace("\"epoch\": 1", "\"epoch\": 2"));
    assertThat(viaB.status()).as(viaB.body()).isEqualTo(409);
    assertThat(viaB.json().get("error").asText()).contains(a.server.url());
    Response pause = b.post("/api/runs/" + id + "/pause", "");
    assertThat(pause.status()).as(pause.body()).isEqualTo(409);
    assertThat(pause.json().get("error").asText()).contains(a.server.url());
    assertThat(a.post("/api/runs/" + id + "/finish", "{}").status()).isEqualTo(200);
  }

  @Test
  void theRunOfAKilledWriterIsMarkedInterruptedByTheOtherWithEveryAcknowledgedEvent() {
    String id = a.post("/api/runs", "{\"external\": true}").json().get("id").asText();
    Sinks.Empty<Void> opened = Sinks.empty();
    // Whether B found the run before or after its stream opened, it streams every epoch after.
    StepVerifier.create(
            b.sse("/api/events", opened)
                .filter(e -> e.event().equals("epoch") && e.data().contains(id)))
        .then(() -> opened.asMono().block(TIMEOUT))
        .then(
            () -> {
              for (int epoch = 1; epoch <= 3; epoch++) {
                String push =
                    "{\"type\": \"epoch\", \"epoch\": "
                        + epoch
                        + ", \"epochs\": 9, \"loss\": 0.5, \"accuracy\": 0.5}";
                assertThat(a.post("/api/runs/" + id + "/events", push).status()).isEqualTo(200);
              }
            })
        .expectNextCount(3) // the three acknowledged epochs
        .thenCancel()
        .verify(TIMEOUT);
    // kill -9: no more heartbeats, nothing closed cleanly.
    ((KafkaStore) a.server.runs().store()).halt();
    List<Sse> fromB = b.awaitFinished(id);
    assertThat(fromB)
        .extracting(Sse::event)
        .containsExactly("run-started", "epoch", "epoch", "epoch", "status");
    assertThat(fromB.get(4).data()).contains("\"state\":\"interrupted\"").contains("\"epoch\":3");
    assertThat(b.get("/api/runs/" + id).json().get("state").asText()).isEqualTo("interrupted");
    assertThat(
            b.post("/api/runs/" + id + "/events", "{\"type\": \"epoch\", \"epoch\": 4}").status())
        .isEqualTo(409);
  }

  @Test
  void bothInstancesRestartedServeEveryRunWithEveryEvent() throws Exception {
    String id = startSeenOn(a, b, "{\"epochs\": 20}");
    List<Sse> before = a.awaitFinished(id);
    b.awaitFinished(id);
    a.close();
    b.close();
    a = null;
    b = null;
    a = instance(dataA.resolve("again"));
    b = instance(dataB.resolve("again"));
    assertThat(b.awaitFinished(id)).isEqualTo(before);
    assertThat(a.awaitFinished(id)).isEqualTo(before);
    assertThat(a.get("/api/runs").body()).contains(id);
  }
}
