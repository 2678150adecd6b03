package dev.trainscope.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainscope.server.ServerFixture;
import dev.trainscope.server.ServerFixture.Response;
import dev.trainscope.server.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fields that compare runs: kind, params, best, duration, sweep; filters; metrics.csv. */
class RunSummariesTest {
  @TempDir Path data;
  ServerFixture fx;

  @AfterEach
  void stop() {
    if (fx != null) fx.close();
  }

  private JsonNode summary(String id) {
    for (JsonNode s : fx.get("/api/runs").json()) {
      if (s.get("id").asText().equals(id)) return s;
    }
    throw new AssertionError("run " + id + " not listed");
  }

  private String external(String body) {
    Response r = fx.post("/api/runs", body);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().get("id").asText();
  }

  private List<String> ids(String uri) {
    Response r = fx.get(uri);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    r.json().forEach(s -> ids.add(s.get("id").asText()));
    return ids;
  }

  @Test
  void everyKindOfRunSaysWhoTrainsIt() throws Exception {
    int code =
        Main.commandLine()
            .setOut(new PrintWriter(new StringWriter()))
            .execute("train", "--epochs", "2", "--data-dir", data.toString(), "--no-progress");
    assertThat(code).isZero();
    fx = ServerFixture.start(data);
    String headless = fx.get("/api/runs").json().get(0).get("id").asText();
    String engine = fx.startRun("{\"epochs\": 2}");
    fx.awaitFinished(engine);
    String pushed = external("{\"external\": true, \"name\": \"torch\"}");
    String keras =
        fx.post("/publish/epoch/end/", "{\"epoch\": 0, \"loss\": 0.5}").json().get("run").asText();

    assertThat(summary(headless).get("kind").asText()).isEqualTo("headless");
    assertThat(summary(engine).get("kind").asText()).isEqualTo("engine");
    assertThat(summary(pushed).get("kind").asText()).isEqualTo("pushed");
    assertThat(summary(keras).get("kind").asText()).isEqualTo("keras");

    fx.close(); // kinds are recorded in run.json: a restarted server knows them
    fx = ServerFixture.start(data);
    assertThat(summary(headless).get("kind").asText()).isEqualTo("headless");
    assertThat(summary(keras).get("kind").asText()).isEqualTo("keras");
    assertThat(summary(engine).get("kind").asText()).isEqualTo("engine");
  }

  @Test
  void paramsAreTheConfigFlattenedWithDots() throws Exception {
    fx = ServerFixture.start(data);
    String id =
        fx.startRun(
            "{\"epochs\": 2, \"batchSize\": 8, \"optimizer\": {\"type\": \"adam\", \"learningRate\": 0.01},"
                + " \"layers\": [{\"units\": 8, \"activation\": \"relu\"}, {\"units\": 3, \"activation\": \"softmax\"}]}");
    fx.awaitFinished(id);
    JsonNode params = fx.get("/api/runs/" + id).json().get("params");
    assertThat(params.get("optimizer.learningRate").asDouble()).isEqualTo(0.01);
    assertThat(params.get("optimizer.type").asText()).isEqualTo("adam");
    assertThat(params.get("batchSize").asInt()).isEqualTo(8);
    assertThat(params.get("epochs").asInt()).isEqualTo(2);
    assertThat(params.get("seed").asLong()).isEqualTo(42);
    assertThat(params.get("dataset").asText()).isEqualTo("iris");
    assertThat(params.get("weightDecay").asDouble()).isEqualTo(0.0);
    assertThat(params.get("layers").asText()).isEqualTo("8 relu, 3 softmax");
    assertThat(params.has("name")).isFalse();
    assertThat(params.has("optimizer")).isFalse();
    JsonNode summary = summary(id);
    assertThat(summary.get("durationMs").asLong()).isNotNegative();
    assertThat(summary.has("sweep")).isFalse();
  }

  @Test
  void externalRunsShowTheParamsTheySentAndBadParamsAre400NamingTheKey() throws Exception {
    fx = ServerFixture.start(data);
    String id =
        external(
            "{\"external\": true, \"params\": {\"lr\": 0.3, \"arch\": \"resnet\", \"bn\": true, \"depth\": 18}}");
    JsonNode params = summary(id).get("params");
    assertThat(params.get("lr").asDouble()).isEqualTo(0.3);
    assertThat(params.get("arch").asText()).isEqualTo("resnet");
    assertThat(params.get("bn").asBoolean()).isTrue();
    assertThat(params.get("depth").asInt()).isEqualTo(18);
    assertThat(summary(external("{\"external\": true}")).get("params").size()).isZero();

    Response nested =
        fx.post("/api/runs", "{\"external\": true, \"params\": {\"opt\": {\"a\": 1}}}");
    assertThat(nested.status()).isEqualTo(400);
    assertThat(nested.json().get("field").asText()).isEqualTo("params.opt");
    String longKey = "k".repeat(251);
    Response tooLong =
        fx.post("/api/runs", "{\"external\": true, \"params\": {\"" + longKey + "\": 1}}");
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(tooLong.json().get("error").asText()).contains("250").contains("251");
    StringBuilder many = new StringBuilder("{\"external\": true, \"params\": {");
    for (int i = 0; i < 101; i++)
      many.append(i == 0 ? "" : ",").append("\"p").append(i).append("\": 1");
    Response tooMany = fx.post("/api/runs", many.append("}}").toString());
    assertThat(tooMany.status()).isEqualTo(400);
    assertThat(tooMany.json().get("error").asText()).contains("at most 100");

    fx.close();
    fx = ServerFixture.start(data);
    assertThat(summary(id).get("params").get("arch").asText()).isEqualTo("resnet");
  }

  @Test
  void bestIsTheMinimumLossAndMaximumAccuracyWithTheirEpochs() throws Exception {
    fx = ServerFixture.start(data);
    String id = external("{\"external\": true}");
    fx.post(
        "/api/runs/" + id + "/events",
        "[{\"type\":\"epoch\",\"epoch\":1,\"loss\":0.9,\"accuracy\":0.5,\"valLoss\":1.0},"
            + "{\"type\":\"epoch\",\"epoch\":2,\"loss\":0.4,\"accuracy\":0.8,\"valLoss\":0.7},"
            + "{\"type\":\"epoch\",\"epoch\":3,\"loss\":0.6,\"accuracy\":0.7,\"valLoss\":0.8}]");
    JsonNode best = summary(id).get("best");
    assertThat(best.get("loss").get("value").asDouble()).isEqualTo(0.4);
    assertThat(best.get("loss").get("epoch").asInt()).isEqualTo(2);
    assertThat(best.get("accuracy").get("value").asDouble()).isEqualTo(0.8);
    assertThat(best.get("accuracy").get("epoch").asInt()).isEqualTo(2);
    assertThat(best.get("valLoss").get("value").asDouble()).isEqualTo(0.7);
    assertThat(best.has("valAccuracy")).isFalse(); // never seen
    assertThat(summary(id).get("loss").asDouble()).isEqualTo(0.6); // the last, not the best

    fx.close(); // rebuilt from the log after a restart
    fx = ServerFixture.start(data);
    assertThat(summary(id).get("best").get("loss").get("epoch").asInt()).isEqualTo(2);
    assertThat(summary(id).get("state").asText()).isEqualTo("interrupted");
    assertThat(summary(id).get("durationMs").asLong()).isNotNegative();
  }

  @Test
  void filtersCombineStateTextAndParamValues() throws Exception {
    fx = ServerFixture.start(data);
    String adam =
        fx.startRun("{\"epochs\": 1, \"optimizer\": {\"type\": \"adam\"}, \"name\": \"First\"}");
    fx.awaitFinished(adam);
    String spiral = fx.startRun("{\"epochs\": 1, \"dataset\": \"spiral\"}");
    fx.awaitFinished(spiral);
    String open =
        external("{\"external\": true, \"name\": \"torch mlp\", \"params\": {\"opt\": \"ADAMW\"}}");

    assertThat(ids("/api/runs?state=completed")).containsExactly(spiral, adam);
    assertThat(ids("/api/runs?state=running")).containsExactly(open);
    assertThat(ids("/api/runs?q=SPIR")).containsExactly(spiral);
    assertThat(ids("/api/runs?q=first")).containsExactly(adam);
    assertThat(ids("/api/runs?q=adam")).containsExactly(open, adam); // param values
    assertThat(ids("/api/runs?q=adam&state=completed")).containsExactly(adam);
    assertThat(ids("/api/runs?q=" + open.substring(0, 20))).contains(open);
    assertThat(ids("/api/runs?sweep=nope")).isEmpty();
    Response bad = fx.get("/api/runs?state=done");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("field").asText()).isEqualTo("state");
    assertThat(bad.json().get("error").asText())
        .contains("queued", "running", "paused", "completed", "failed", "stopped", "interrupted");
  }

  @Test
  void metricsCsvIsEveryPointOfEachRunInLongFormat() throws Exception {
    fx = ServerFixture.start(data);
    String a = external("{\"external\": true}");
    fx.post(
        "/api/runs/" + a + "/events",
        "[{\"type\":\"epoch\",\"epoch\":1,\"loss\":0.9,\"accuracy\":0.5,\"learningRate\":0.1,"
            + "\"metrics\":{\"loss\":0.9,\"f1\":0.25,\"=cmd\":1}},"
            + "{\"type\":\"epoch\",\"epoch\":2,\"loss\":0.5,\"valLoss\":0.75}]");
    String b = external("{\"external\": true}");
    fx.post("/api/runs/" + b + "/events", "{\"type\":\"epoch\",\"epoch\":1,\"loss\":1e-05}");

    Response csv = fx.get("/api/metrics.csv?runs=" + a + "," + b);
    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.headers().get("Content-Type")).startsWith("text/csv");
    assertThat(csv.body())
        .isEqualTo(
            "run,epoch,metric,value\r\n"
                + a
                + ",1,loss,0.9\r\n"
                + a
                + ",1,accuracy,0.5\r\n"
                + a
                + ",1,learningRate,0.1\r\n"
                + a
                + ",1,'=cmd,1.0\r\n"
                + a
                + ",1,f1,0.25\r\n"
                + a
                + ",2,loss,0.5\r\n"
                + a
                + ",2,valLoss,0.75\r\n"
                + b
                + ",1,loss,1e-05\r\n");

    Response unknown = fx.get("/api/metrics.csv?runs=" + a + ",no-such-run");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("error").asText()).contains("no-such-run");
    assertThat(fx.get("/api/metrics.csv").status()).isEqualTo(400);
    StringBuilder many = new StringBuilder("/api/metrics.csv?runs=");
    for (int i = 0; i < 1001; i++) many.append(i == 0 ? "" : ",").append("r").append(i);
    Response tooMany = fx.get(many.toString());
    assertThat(tooMany.status()).isEqualTo(400);
    assertThat(tooMany.json().get("error").asText()).contains("at most 1000");
  }

  @Test
  void metricsCsvOfAnEngineRunHasOneLossRowPerEpoch() throws Exception {
    fx = ServerFixture.start(data);
    String id = fx.startRun("{\"epochs\": 3}");
    fx.awaitFinished(id);
    String body = fx.get("/api/metrics.csv?runs=" + id).body();
    assertThat(body.lines().filter(l -> l.contains(",loss,"))).hasSize(3);
    assertThat(body.lines().filter(l -> l.contains(",valAccuracy,"))).hasSize(3);
  }
}
