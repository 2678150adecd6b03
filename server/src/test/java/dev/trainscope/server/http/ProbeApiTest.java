package dev.trainscope.server.http;

import static dev.trainscope.server.ServerFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainscope.server.ServerFixture;
import dev.trainscope.server.ServerFixture.Response;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

/** {@code POST /api/runs/{id}/probe}: while the run trains, checked against its data, traced. */
class ProbeApiTest {
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
  void aChosenPointIsTracedAtOnceWithItsClassAnd400NamesWhatDoesNotFit() {
    String id =
        fx.startRun(
            "{\"dataset\":\"circles\",\"epochs\":200,\"epochDelayMs\":20,\"traceEvery\":1000}");
    String uri = "/api/runs/" + id;
    AtomicReference<JsonNode> points = new AtomicReference<>();
    StepVerifier.create(fx.sse(uri + "/events?types=data-points,epoch,activations,run-completed"))
        .consumeNextWith(e -> points.set(json(e.data())))
        // Epoch 1 is traced with the config's probe; from epoch 2 on, only a choice is.
        .thenConsumeWhile(
            e -> !(e.event().equals("epoch") && json(e.data()).get("epoch").asInt() >= 2))
        .then(
            () -> {
              int trainSize = points.get().get("train").get("x").size();
              Response index =
                  fx.post(uri + "/probe", "{\"split\":\"train\",\"index\":" + trainSize + "}");
              assertThat(index.status()).as(index.body()).isEqualTo(400);
              assertThat(index.json().get("field").asText()).isEqualTo("index");
              assertThat(index.json().get("error").asText())
                  .isEqualTo("index in [0, " + (trainSize - 1) + "] required but was " + trainSize);
              Response size = fx.post(uri + "/probe", "{\"input\":[1, 2, 3]}");
              assertThat(size.json().get("error").asText())
                  .isEqualTo("input of 2 values required but was 3");
              Response split = fx.post(uri + "/probe", "{\"split\":\"test\",\"index\":0}");
              assertThat(split.json().get("field").asText()).isEqualTo("split");
              assertThat(fx.post(uri + "/probe", "[1]").status()).isEqualTo(400);
              // Running, not paused: the choice is taken at the next epoch boundary.
              Response ok = fx.post(uri + "/probe", "{\"split\":\"train\",\"index\":3}");
              assertThat(ok.status()).as(ok.body()).isEqualTo(202);
            })
        .thenConsumeWhile(e -> !e.event().equals("activations"))
        .assertNext(
            e -> {
              JsonNode a = json(e.data());
              JsonNode p = points.get();
              double z = a.get("input").get(0).asDouble();
              double x = z * p.get("std").get(0).asDouble() + p.get("mean").get(0).asDouble();
              assertThat(x).isCloseTo(p.get("train").get("x").get(3).asDouble(), within());
              assertThat(a.get("label").asInt())
                  .isEqualTo(p.get("train").get("label").get(3).asInt());
            })
        .then(() -> fx.post(uri + "/stop", ""))
        .thenConsumeWhile(e -> !e.event().equals("run-completed"))
        .expectNextMatches(e -> e.event().equals("run-completed"))
        .expectComplete()
        .verify(TIMEOUT);
    Response finished = fx.post(uri + "/probe", "{\"split\":\"train\",\"index\":3}");
    assertThat(finished.status()).as(finished.body()).isEqualTo(409);
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-4);
  }

  @Test
  void anExternalRunsProbeIsItsTrainers() {
    Response r = fx.post("/api/runs", "{\"external\": true, \"controllable\": true}");
    String id = r.json().get("id").asText();
    Response probe = fx.post("/api/runs/" + id + "/probe", "{\"input\":[1, 2]}");
    assertThat(probe.status()).as(probe.body()).isEqualTo(409);
    assertThat(probe.json().get("error").asText()).contains("external");
  }
}
