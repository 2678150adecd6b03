package dev.trainscope.server.http;

import static dev.trainscope.server.ServerFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainscope.server.ServerFixture;
import dev.trainscope.server.ServerFixture.Response;
import dev.trainscope.server.ServerFixture.Sse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

/** Pause, resume and stop of an external run whose trainer declared it can be controlled. */
class ExternalRunControlTest {
  @TempDir Path data;
  ServerFixture fx;

  @AfterEach
  void stop() {
    if (fx != null) fx.close();
  }

  private String controllable() {
    Response r = fx.post("/api/runs", "{\"external\": true, \"controllable\": true}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    assertThat(r.json().get("controllable").asBoolean()).isTrue();
    return r.json().get("id").asText();
  }

  private JsonNode push(String id, int epoch) {
    Response r =
        fx.post(
            "/api/runs/" + id + "/events",
            "{\"type\": \"epoch\", \"epoch\": " + epoch + ", \"loss\": 0.5}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  @Test
  void everyPushAnswersWhatTheTrainerIsAskedToDo() throws Exception {
    fx = ServerFixture.start(data);
    String id = controllable();
    String uri = "/api/runs/" + id;
    JsonNode first = push(id, 1);
    assertThat(first.has("control")).isTrue();
    assertThat(first.get("control").isNull()).isTrue();

    Response paused = fx.post(uri + "/pause", "");
    assertThat(paused.status()).as(paused.body()).isEqualTo(200);
    assertThat(paused.json().get("state").asText()).isEqualTo("paused");
    assertThat(paused.json().get("control").asText()).isEqualTo("pause");
    assertThat(push(id, 2).get("control").asText()).isEqualTo("pause");

    assertThat(fx.post(uri + "/resume", "").json().get("state").asText()).isEqualTo("running");
    assertThat(push(id, 3).get("control").isNull()).isTrue();

    Response stopped = fx.post(uri + "/stop", "");
    assertThat(stopped.status()).isEqualTo(200);
    assertThat(stopped.json().get("state").asText()).isEqualTo("running"); // until it ends
    assertThat(push(id, 4).get("control").asText()).isEqualTo("stop");
    Response finished = fx.post(uri + "/finish", "");
    assertThat(finished.json().get("state").asText()).isEqualTo("stopped");

    // The log records each request as a status event, between the epochs it came between.
    List<String> types =
        fx.awaitFinished(id).stream().map(e -> e.event() + ":" + stateOf(e)).toList();
    assertThat(types)
        .containsExactly(
            "run-started:",
            "epoch:",
            "status:paused",
            "epoch:",
            "status:resumed",
            "epoch:",
            "status:stopped",
            "epoch:",
            "run-completed:");
    assertThat(fx.post(uri + "/pause", "").status()).isEqualTo(409);
  }

  private static String stateOf(Sse e) {
    int at = e.data().indexOf("\"state\":\"");
    if (!e.event().equals("status") || at < 0) return "";
    return e.data().substring(at + 9, e.data().indexOf('"', at + 9));
  }

  @Test
  void theControlStreamSendsTheCurrentRequestThenEachChangeAndEndsWithTheRun() throws Exception {
    fx = ServerFixture.start(data);
    String id = controllable();
    String uri = "/api/runs/" + id;
    fx.post(uri + "/pause", "");
    StepVerifier.create(fx.sse(uri + "/control"))
        .assertNext(e -> assertThat(e.data()).isEqualTo("{\"control\":\"pause\"}"))
        .then(() -> fx.post(uri + "/resume", ""))
        .assertNext(e -> assertThat(e.data()).isEqualTo("{\"control\":null}"))
        .then(() -> fx.post(uri + "/stop", ""))
        .assertNext(
            e -> {
              assertThat(e.event()).isEqualTo("control");
              assertThat(e.data()).isEqualTo("{\"control\":\"stop\"}");
            })
        .then(() -> fx.post(uri + "/finish", ""))
        .expectComplete()
        .verify(TIMEOUT);
  }

  @Test
  void stepAndUncontrollableRunsAre409NamingWhy() throws Exception {
    fx = ServerFixture.start(data);
    String id = controllable();
    Response step = fx.post("/api/runs/" + id + "/step", "");
    assertThat(step.status()).isEqualTo(409);
    assertThat(step.json().get("error").asText()).contains("not step");

    String plain = fx.post("/api/runs", "{\"external\": true}").json().get("id").asText();
    assertThat(fx.get("/api/runs/" + plain).json().get("controllable").asBoolean()).isFalse();
    assertThat(fx.post("/api/runs/" + plain + "/pause", "").status()).isEqualTo(409);
    assertThat(fx.get("/api/runs/" + plain + "/control").status()).isEqualTo(409);
    assertThat(push(plain, 1).has("control")).isFalse();

    Response bad = fx.post("/api/runs", "{\"external\": true, \"controllable\": \"yes\"}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("field").asText()).isEqualTo("controllable");
  }
}
