package dev.trainscope.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainscope.server.ServerFixture;
import dev.trainscope.server.ServerFixture.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepsApiTest {
  private static final String SIX =
      "{\"name\": \"lr-batch\", \"base\": {\"epochs\": 3, \"epochDelayMs\": 0},"
          + " \"grid\": {\"optimizer.learningRate\": [0.01, 0.1, 0.3], \"batchSize\": [8, 16]}}";

  @TempDir Path data;
  ServerFixture fx;

  @AfterEach
  void stop() {
    if (fx != null) fx.close();
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.isTextual() ? n.asText() : n.get("id").asText()));
    return out;
  }

  private JsonNode created(String body) {
    Response r = fx.post("/api/sweeps", body);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  private void awaitAll(JsonNode sweep) {
    sweep.get("runs").forEach(id -> fx.awaitFinished(id.asText()));
  }

  @Test
  void aGridStartsOneRunPerCombinationNamedByWhatVaries() throws Exception {
    fx = ServerFixture.start(data);
    Response r = fx.post("/api/sweeps", SIX);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    JsonNode sweep = r.json();
    String id = sweep.get("id").asText();
    assertThat(r.headers().get("Location")).isEqualTo("/api/sweeps/" + id);
    assertThat(sweep.get("size").asInt()).isEqualTo(6);
    assertThat(texts(sweep.get("varied"))).containsExactly("optimizer.learningRate", "batchSize");
    List<String> runIds = texts(sweep.get("runs"));
    assertThat(runIds).hasSize(6).doesNotHaveDuplicates();
    awaitAll(sweep);

    JsonNode detail = fx.get("/api/sweeps/" + id).json();
    assertThat(texts(detail.get("runs"))).isEqualTo(runIds);
    List<String> names = new ArrayList<>();
    detail.get("runs").forEach(s -> names.add(s.get("name").asText()));
    assertThat(names)
        .containsExactly(
            "lr=0.01 batch=8",
            "lr=0.01 batch=16",
            "lr=0.1 batch=8",
            "lr=0.1 batch=16",
            "lr=0.3 batch=8",
            "lr=0.3 batch=16");
    JsonNode last = detail.get("runs").get(5);
    assertThat(last.get("sweep").asText()).isEqualTo(id);
    assertThat(last.get("state").asText()).isEqualTo("completed");
    assertThat(last.get("params").get("optimizer.learningRate").asDouble()).isEqualTo(0.3);
    assertThat(last.get("params").get("batchSize").asInt()).isEqualTo(16);
    assertThat(detail.get("spec").get("grid").has("batchSize")).isTrue();

    assertThat(texts(fx.get("/api/runs?sweep=" + id).json()))
        .containsExactlyInAnyOrderElementsOf(runIds);
    JsonNode listed = fx.get("/api/sweeps").json();
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).get("name").asText()).isEqualTo("lr-batch");
    assertThat(texts(listed.get(0).get("runs"))).isEqualTo(runIds);
  }

  @Test
  void aSweepWithOneBadValueIs400NamingItAndStartsNothing() throws Exception {
    fx = ServerFixture.start(data);
    Response r =
        fx.post(
            "/api/sweeps",
            "{\"grid\": {\"batchSize\": [8, 16], \"optimizer.learningRate\": [0.1, 0.2, -1]}}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("field").asText()).isEqualTo("grid.optimizer.learningRate[2]");
    assertThat(r.json().get("error").asText())
        .isEqualTo("grid.optimizer.learningRate[2]: learningRate > 0 required but was -1.0");
    assertThat(fx.get("/api/runs").json()).isEmpty();
    assertThat(fx.get("/api/sweeps").json()).isEmpty();
    assertThat(Files.exists(data.resolve("sweeps"))).isFalse();
  }

  @Test
  void aRunThatDoesNotFitItsDataIsNamedByItsIndex() throws Exception {
    fx = ServerFixture.start(data);
    Response r = fx.post("/api/sweeps", "{\"grid\": {\"dataset\": [\"iris\", \"no-such-data\"]}}");
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().get("field").asText()).startsWith("runs[1]");
    assertThat(r.json().get("error").asText()).startsWith("runs[1] (dataset=no-such-data): ");
    assertThat(fx.get("/api/runs").json()).isEmpty();
  }

  @Test
  void aSweepCanTrainOnAnUploadedDataSet() throws Exception {
    fx = ServerFixture.start(data);
    Response up =
        fx.request(
            io.netty.handler.codec.http.HttpMethod.POST,
            "/api/datasets?name=sides",
            DatasetsApiTest.twoBlobs(),
            DatasetsApiTest.CSV);
    assertThat(up.status()).as(up.body()).isEqualTo(201);
    JsonNode sweep =
        created(
            "{\"base\": {\"epochs\": 2, \"epochDelayMs\": 0, \"dataset\": \"sides\","
                + " \"layers\": [{\"units\": 2, \"activation\": \"softmax\"}]},"
                + " \"grid\": {\"optimizer.learningRate\": [0.1, 0.3]}}");
    awaitAll(sweep);
    for (JsonNode run : fx.get("/api/sweeps/" + sweep.get("id").asText()).json().get("runs")) {
      assertThat(run.get("dataset").asText()).isEqualTo("sides");
      assertThat(run.get("state").asText()).isEqualTo("completed");
    }
  }

  @Test
  void malformedAndEmptyBodiesAre400() throws Exception {
    fx = ServerFixture.start(data);
    Response malformed = fx.post("/api/sweeps", "{\"grid\": ");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.json().get("error").asText()).startsWith("malformed JSON at line 1");
    Response empty = fx.post("/api/sweeps", "");
    assertThat(empty.status()).isEqualTo(400);
    assertThat(empty.json().get("error").asText()).contains("a sweep object required");
    assertThat(fx.get("/api/sweeps/nope").status()).isEqualTo(404);
  }

  @Test
  void aRestartedServerShowsTheSweepWithItsRuns() throws Exception {
    fx = ServerFixture.start(data);
    JsonNode sweep =
        created(
            "{\"base\": {\"epochs\": 2, \"epochDelayMs\": 0}, \"random\": {\"optimizer.learningRate\":"
                + " {\"min\": 0.01, \"max\": 1, \"log\": true}}, \"count\": 3, \"seed\": 9}");
    awaitAll(sweep);
    String id = sweep.get("id").asText();
    JsonNode before = fx.get("/api/sweeps/" + id).json();
    fx.close();

    fx = ServerFixture.start(data);
    JsonNode after = fx.get("/api/sweeps/" + id).json();
    assertThat(texts(after.get("runs"))).isEqualTo(texts(sweep.get("runs")));
    assertThat(after.get("varied")).isEqualTo(before.get("varied"));
    assertThat(after.get("spec")).isEqualTo(before.get("spec"));
    for (int i = 0; i < 3; i++) {
      assertThat(after.get("runs").get(i).get("params"))
          .isEqualTo(before.get("runs").get(i).get("params"));
      assertThat(after.get("runs").get(i).get("state").asText()).isEqualTo("completed");
    }
  }
}
