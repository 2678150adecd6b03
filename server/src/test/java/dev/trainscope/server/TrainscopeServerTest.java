package dev.trainscope.server;

import static dev.trainscope.server.ServerFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.server.ServerFixture.Sse;
import dev.trainscope.server.json.EventCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

class TrainscopeServerTest {
  @TempDir Path data;
  ServerFixture fx;

  @AfterEach
  void stop() {
    if (fx != null) fx.close();
  }

  @Test
  void aNewServerOnTheSameDataDirectoryServesOldRuns() throws Exception {
    fx = ServerFixture.start(data);
    String id = fx.startRun("{\"epochs\":3}");
    List<Sse> before = fx.awaitFinished(id);
    fx.close();

    fx = ServerFixture.start(data);
    assertThat(fx.get("/api/runs/" + id).json().get("state").asText()).isEqualTo("completed");
    StepVerifier.create(fx.sse("/api/runs/" + id + "/events"))
        .expectNextSequence(before)
        .expectComplete()
        .verify(TIMEOUT);
  }

  @Test
  void aRunKilledMidTrainingComesBackInterruptedAndATornLineIsIgnored() throws Exception {
    EventCodec codec = new EventCodec();
    String id = "20260101-000000-dead";
    Path dir = Files.createDirectories(data.resolve("runs").resolve(id));
    Files.writeString(
        dir.resolve("run.json"),
        "{\"id\":\"" + id + "\",\"state\":\"running\",\"createdAt\":5,\"config\":{\"epochs\":9}}");
    StringBuilder log = new StringBuilder();
    for (int e = 1; e <= 2; e++) {
      log.append(
              codec.encode(
                  new TrainingEvent.Epoch(
                      id, e - 1, 10 + e, e, 9, 1.0, 0.5, null, null, 0.1, 1, Map.of())))
          .append('\n');
    }
    log.append("{\"type\":\"epoch\",\"runId\":\"2026"); // kill -9 in the middle of a write
    Files.writeString(dir.resolve("events.ndjson"), log);

    fx = ServerFixture.start(data);
    JsonNode run = fx.get("/api/runs/" + id).json();
    assertThat(run.get("state").asText()).isEqualTo("interrupted");
    assertThat(run.get("lastEpoch").asInt()).isEqualTo(2);
    StepVerifier.create(fx.sse("/api/runs/" + id + "/events"))
        .expectNextMatches(e -> e.id().equals("0") && e.event().equals("epoch"))
        .expectNextMatches(e -> e.id().equals("1") && e.event().equals("epoch"))
        .expectNextMatches(
            e ->
                e.id().equals("2")
                    && e.event().equals("status")
                    && e.data().contains("\"interrupted\""))
        .expectComplete()
        .verify(TIMEOUT);
    assertThat(fx.post("/api/runs/" + id + "/resume", "").status()).isEqualTo(409);
  }
}
