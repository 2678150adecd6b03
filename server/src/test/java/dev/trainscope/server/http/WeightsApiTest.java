package dev.trainscope.server.http;

import static dev.trainscope.server.ServerFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainscope.server.ServerFixture;
import dev.trainscope.server.ServerFixture.Response;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

/** {@code POST /api/runs/{id}/weights}: only while paused, indices checked, recorded in the log. */
class WeightsApiTest {
  static final ObjectMapper MAPPER = new ObjectMapper();
  @TempDir Path data;
  ServerFixture fx;

  @BeforeEach
  void start() throws Exception {
    fx = ServerFixture.start(data);
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  static JsonNode json(String s) {
    try {
      return MAPPER.readTree(s);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void anEditWhilePausedIsAppliedRecordedAndTracedAnd409OtherwiseAnd400NamesTheIndex() {
    String id = fx.startRun("{\"dataset\":\"circles\",\"epochs\":50,\"epochDelayMs\":50}");
    String uri = "/api/runs/" + id;
    String edit = "{\"layer\": 0, \"unit\": 1, \"input\": 0, \"value\": 2.5}";
    StepVerifier.create(
            fx.sse(uri + "/events?types=epoch,status,weights-edited,activations,run-completed"))
        .expectNextMatches(e -> e.event().equals("epoch"))
        .then(
            () -> {
              Response running = fx.post(uri + "/weights", edit);
              assertThat(running.status()).as(running.body()).isEqualTo(409);
              assertThat(running.json().get("error").asText()).contains("only while it is paused");
              assertThat(fx.post(uri + "/pause", "").status()).isEqualTo(200);
            })
        .thenConsumeWhile(e -> !e.event().equals("status"))
        .expectNextMatches(e -> e.data().contains("\"state\":\"paused\""))
        .then(
            () -> {
              Response layer =
                  fx.post(
                      uri + "/weights",
                      "{\"layer\": 3, \"unit\": 0, \"bias\": true, \"value\": 1}");
              assertThat(layer.status()).as(layer.body()).isEqualTo(400);
              assertThat(layer.json().get("field").asText()).isEqualTo("layer");
              assertThat(layer.json().get("error").asText())
                  .isEqualTo("layer in [0, 2] required but was 3");
              Response input =
                  fx.post(
                      uri + "/weights", "{\"layer\": 0, \"unit\": 0, \"input\": 2, \"value\": 1}");
              assertThat(input.json().get("error").asText())
                  .isEqualTo("input in [0, 1] required but was 2");
              Response value =
                  fx.post(
                      uri + "/weights",
                      "{\"layer\": 0, \"unit\": 0, \"bias\": true, \"value\": \"big\"}");
              assertThat(value.status()).isEqualTo(400);
              assertThat(value.json().get("field").asText()).isEqualTo("value");
              Response ok = fx.post(uri + "/weights", edit);
              assertThat(ok.status()).as(ok.body()).isEqualTo(202);
            })
        .assertNext(
            e -> {
              assertThat(e.event()).isEqualTo("weights-edited");
              JsonNode w = json(e.data());
              assertThat(w.get("layer").asInt()).isZero();
              assertThat(w.get("unit").asInt()).isEqualTo(1);
              assertThat(w.get("input").asInt()).isZero();
              assertThat(w.get("newValue").asDouble()).isEqualTo(2.5);
            })
        .assertNext(
            e -> {
              assertThat(e.event()).isEqualTo("activations");
              JsonNode weights = json(e.data()).get("layers").get(0).get("weights");
              assertThat(weights.get(1).get(0).asDouble()).isEqualTo(2.5);
            })
        .then(() -> assertThat(fx.post(uri + "/stop", "").status()).isEqualTo(200))
        .thenConsumeWhile(e -> !e.event().equals("run-completed"))
        .expectNextMatches(e -> e.event().equals("run-completed"))
        .expectComplete()
        .verify(TIMEOUT);
    // The log keeps the edit, so a replay explains the jump.
    assertThat(fx.get(uri + "/events.ndjson").body()).contains("\"type\":\"weights-edited\"");
  }

  @Test
  void anExternalRunsWeightsAreItsTrainers() {
    Response r = fx.post("/api/runs", "{\"external\": true, \"controllable\": true}");
    String id = r.json().get("id").asText();
    Response edit =
        fx.post(
            "/api/runs/" + id + "/weights",
            "{\"layer\": 0, \"unit\": 0, \"bias\": true, \"value\": 1}");
    assertThat(edit.status()).as(edit.body()).isEqualTo(409);
    assertThat(edit.json().get("error").asText()).contains("external");
  }
}
