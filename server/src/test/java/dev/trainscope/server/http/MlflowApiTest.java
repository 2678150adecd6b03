package dev.trainscope.server.http;

import static dev.trainscope.server.ServerFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainscope.server.ServerFixture;
import dev.trainscope.server.ServerFixture.Response;
import dev.trainscope.server.ServerFixture.Sse;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MLflow 2.x's Python client against Trainscope: the requests below are the ones {@code
 * mlflow.set_experiment}, {@code start_run}, {@code log_param(s)}, {@code log_metric(s)}, {@code
 * set_tag} and {@code end_run} send (rest_store.py: {@code message_to_json} of the request proto,
 * fields in field-number order, int64 as numbers, then {@code requests}' {@code json=}, which
 * re-serialises with {@code ", "} and {@code ": "}; GETs put the fields in the query string).
 */
class MlflowApiTest {
  static final String API = "/api/2.0/mlflow/";
  static final Map<String, String> CLIENT =
      Map.of("Content-Type", "application/json", "User-Agent", "mlflow-python-client/2.17.2");
  static final long T0 = 1764680000000L;

  @TempDir Path data;
  ServerFixture fx;

  @AfterEach
  void stop() {
    if (fx != null) fx.close();
  }

  private Response post(String path, String body) {
    return fx.request(HttpMethod.POST, API + path, body, CLIENT);
  }

  private Response get(String pathAndQuery) {
    return fx.request(HttpMethod.GET, API + pathAndQuery, null, CLIENT);
  }

  private static JsonNode ok(Response r) {
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  /** The requests of set_experiment("iris-mlp") and start_run(run_name="torch mlp"): the run id. */
  private String startRun() {
    Response missing = get("experiments/get-by-name?experiment_name=iris-mlp");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().get("error_code").asText()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
    String exp =
        ok(post("experiments/create", "{\"name\": \"iris-mlp\"}")).get("experiment_id").asText();
    JsonNode experiment = ok(get("experiments/get?experiment_id=" + exp)).get("experiment");
    assertThat(experiment.get("name").asText()).isEqualTo("iris-mlp");
    assertThat(experiment.get("lifecycle_stage").asText()).isEqualTo("active");
    JsonNode run =
        ok(post(
                "runs/create",
                "{\"experiment_id\": \""
                    + exp
                    + "\", \"user_id\": \"root\", \"run_name\": \"torch mlp\", \"start_time\": "
                    + T0
                    + ", \"tags\": [{\"key\": \"mlflow.runName\", \"value\": \"torch mlp\"},"
                    + " {\"key\": \"mlflow.user\", \"value\": \"root\"},"
                    + " {\"key\": \"mlflow.source.name\", \"value\": \"train.py\"},"
                    + " {\"key\": \"mlflow.source.type\", \"value\": \"LOCAL\"}]}"))
            .get("run");
    JsonNode info = run.get("info");
    assertThat(info.get("status").asText()).isEqualTo("RUNNING");
    assertThat(info.get("experiment_id").asText()).isEqualTo(exp);
    assertThat(info.get("run_name").asText()).isEqualTo("torch mlp");
    assertThat(info.get("start_time").isIntegralNumber()).isTrue();
    assertThat(info.get("start_time").asLong()).isEqualTo(T0);
    assertThat(info.get("run_id").asText()).isEqualTo(info.get("run_uuid").asText());
    return info.get("run_id").asText();
  }

  /** mlflow.log_metric(key, value, step=step), its body as rest_store.py sends it. */
  private void logMetric(String id, String key, String value, long timestamp, long step) {
    ok(
        post(
            "runs/log-metric",
            "{\"run_uuid\": \""
                + id
                + "\", \"key\": \""
                + key
                + "\", \"value\": "
                + value
                + ", \"timestamp\": "
                + timestamp
                + ", \"step\": "
                + step
                + ", \"run_id\": \""
                + id
                + "\"}"));
  }

  private void logTraining(String id) {
    ok(
        post(
            "runs/log-parameter",
            "{\"run_uuid\": \""
                + id
                + "\", \"key\": \"lr\", \"value\": \"0.1\", \"run_id\": \""
                + id
                + "\"}"));
    ok(
        post(
            "runs/log-batch",
            "{\"run_id\": \""
                + id
                + "\", \"params\": [{\"key\": \"batch_size\", \"value\": \"16\"},"
                + " {\"key\": \"optimizer\", \"value\": \"sgd\"}]}"));
    for (int step = 0; step < 3; step++) {
      long t = T0 + 1000 * (step + 1);
      logMetric(id, "loss", String.valueOf(1.0 / (step + 1)), t, step);
      ok(
          post(
              "runs/log-batch",
              "{\"run_id\": \""
                  + id
                  + "\", \"metrics\": [{\"key\": \"accuracy\", \"value\": "
                  + (0.5 + 0.1 * step)
                  + ", \"timestamp\": "
                  + t
                  + ", \"step\": "
                  + step
                  + "},"
                  + " {\"key\": \"val_loss\", \"value\": "
                  + (1.1 / (step + 1))
                  + ", \"timestamp\": "
                  + t
                  + ", \"step\": "
                  + step
                  + "}]}"));
    }
    ok(
        post(
            "runs/set-tag",
            "{\"run_uuid\": \""
                + id
                + "\", \"key\": \"framework\", \"value\": \"pytorch\", \"run_id\": \""
                + id
                + "\"}"));
  }

  private JsonNode endRun(String id, String status) {
    return ok(post(
            "runs/update",
            "{\"run_uuid\": \""
                + id
                + "\", \"status\": \""
                + status
                + "\", \"end_time\": "
                + (T0 + 9000)
                + ", \"run_id\": \""
                + id
                + "\"}"))
        .get("run_info");
  }

  private JsonNode summary(String id) {
    return fx.get("/api/runs/" + id).json();
  }

  /** A server that never draws a step before the next one starts: grouping without timing. */
  private ServerFixture patient() throws Exception {
    return new ServerFixture(
        ServerFixture.config(data).toBuilder()
            .mlflowStepWait(java.time.Duration.ofHours(1))
            .build());
  }

  @Test
  void anMlflowClientsRunBecomesATrainscopeRunWithOneEpochPerStep() throws Exception {
    fx = patient();
    String id = startRun();
    logTraining(id);
    JsonNode info = endRun(id, "FINISHED");
    assertThat(info.get("status").asText()).isEqualTo("FINISHED");
    assertThat(info.get("end_time").asLong()).isEqualTo(T0 + 9000);

    JsonNode s = summary(id);
    assertThat(s.get("kind").asText()).isEqualTo("mlflow");
    assertThat(s.get("name").asText()).isEqualTo("torch mlp");
    assertThat(s.get("state").asText()).isEqualTo("completed");
    assertThat(s.get("params").get("lr").asDouble()).isEqualTo(0.1);
    assertThat(s.get("params").get("batch_size").asInt()).isEqualTo(16);
    assertThat(s.get("params").get("optimizer").asText()).isEqualTo("sgd");

    List<Sse> events = fx.awaitFinished(id);
    List<String> types = events.stream().map(Sse::event).toList();
    assertThat(types).containsExactly("run-started", "epoch", "epoch", "epoch", "run-completed");
    JsonNode first =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(events.get(1).data());
    assertThat(first.get("epoch").asInt()).isEqualTo(1); // step 0
    assertThat(first.get("loss").asDouble()).isEqualTo(1.0);
    assertThat(first.get("accuracy").asDouble()).isEqualTo(0.5);
    assertThat(first.get("valLoss").asDouble()).isEqualTo(1.1);
    assertThat(first.get("metrics").get("val_loss").asDouble()).isEqualTo(1.1);
    JsonNode third =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(events.get(3).data());
    assertThat(third.get("epoch").asInt()).isEqualTo(3);
    assertThat(third.get("loss").asDouble()).isEqualTo(1.0 / 3);
  }

  @Test
  void runsGetAndHistoryAnswerAsMlflowWouldAlsoAfterARestart() throws Exception {
    fx = ServerFixture.start(data);
    String id = startRun();
    logTraining(id);
    endRun(id, "FINISHED");
    for (int restart = 0; restart < 2; restart++) {
      JsonNode run = ok(get("runs/get?run_uuid=" + id + "&run_id=" + id)).get("run");
      assertThat(run.get("info").get("status").asText()).isEqualTo("FINISHED");
      List<String> params = new ArrayList<>();
      run.get("data")
          .get("params")
          .forEach(p -> params.add(p.get("key").asText() + "=" + p.get("value").asText()));
      assertThat(params).containsExactly("lr=0.1", "batch_size=16", "optimizer=sgd");
      List<String> tags = new ArrayList<>();
      run.get("data")
          .get("tags")
          .forEach(p -> tags.add(p.get("key").asText() + "=" + p.get("value").asText()));
      assertThat(tags)
          .contains("mlflow.runName=torch mlp", "mlflow.user=root", "framework=pytorch");
      JsonNode latestLoss = null;
      for (JsonNode m : run.get("data").get("metrics")) {
        if (m.get("key").asText().equals("loss")) latestLoss = m;
      }
      assertThat(latestLoss.get("step").asLong()).isEqualTo(2);
      assertThat(latestLoss.get("value").asDouble()).isEqualTo(1.0 / 3);

      JsonNode history =
          ok(get("metrics/get-history?run_uuid=" + id + "&run_id=" + id + "&metric_key=loss"));
      List<Long> steps = new ArrayList<>();
      history.get("metrics").forEach(m -> steps.add(m.get("step").asLong()));
      assertThat(steps).containsExactly(0L, 1L, 2L);
      assertThat(history.get("metrics").get(0).get("timestamp").asLong()).isEqualTo(T0 + 1000);

      JsonNode found =
          ok(
              post(
                  "runs/search",
                  "{\"experiment_ids\": [\"1\"], \"filter\": \"params.optimizer = 'sgd' and metrics.loss < 0.5\", \"run_view_type\": \"ACTIVE_ONLY\", \"max_results\": 1000}"));
      assertThat(found.get("runs")).hasSize(1);
      assertThat(
              ok(post(
                      "runs/search",
                      "{\"experiment_ids\": [\"1\"], \"filter\": \"metrics.loss > 0.5\"}"))
                  .has("runs"))
          .isFalse();
      JsonNode experiments =
          ok(post("experiments/search", "{\"max_results\": 1000, \"view_type\": \"ACTIVE_ONLY\"}"));
      assertThat(experiments.get("experiments")).hasSize(2); // Default and iris-mlp
      fx.close();
      fx = ServerFixture.start(data);
    }
  }

  @Test
  void metricsOutOfStepOrderAreKeptInTheOrderTheyArrived() throws Exception {
    fx = patient();
    String id = startRun();
    for (long step : new long[] {5, 3, 4}) {
      logMetric(id, "loss", String.valueOf(step), (T0 + step), step);
    }
    logMetric(id, "loss", "\"NaN\"", T0, 7);
    endRun(id, "KILLED");
    JsonNode history =
        ok(get("metrics/get-history?run_id=" + id + "&metric_key=loss")).get("metrics");
    List<String> logged = new ArrayList<>();
    history.forEach(m -> logged.add(m.get("step").asLong() + ":" + m.get("value").asText()));
    assertThat(logged).containsExactly("5:5.0", "3:3.0", "4:4.0", "7:NaN");
    List<String> epochs = new ArrayList<>();
    for (Sse e : fx.awaitFinished(id)) {
      if (e.event().equals("epoch")) {
        JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(e.data());
        epochs.add(n.get("epoch").asInt() + ":" + (n.has("loss") ? n.get("loss").asText() : "-"));
      }
    }
    assertThat(epochs).containsExactly("6:5.0", "4:3.0", "5:4.0", "8:-");
    assertThat(summary(id).get("state").asText()).isEqualTo("stopped");
  }

  @Test
  void aStepsMetricsAreDrawnLiveWithoutWaitingForTheNextStep() throws Exception {
    fx =
        new ServerFixture(
            ServerFixture.config(data).toBuilder()
                .mlflowStepWait(java.time.Duration.ofMillis(50))
                .build());
    String id = startRun();
    logMetric(id, "loss", "0.7", T0, 0);
    Sse epoch = fx.sse("/api/runs/" + id + "/events?types=epoch").next().block(TIMEOUT);
    assertThat(epoch.data()).contains("\"epoch\":1", "\"loss\":0.7");
  }

  @Test
  void aStepStillCollectingAtShutdownIsWrittenAndTheServerClosesPromptly() throws Exception {
    fx = patient();
    String id = startRun();
    logMetric(id, "loss", "0.25", T0, 4);
    long start = System.nanoTime();
    fx.close();
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000); // no hour-long timer
    fx = ServerFixture.start(data);
    List<String> events =
        fx.awaitFinished(id).stream().map(e -> e.event() + " " + e.data()).toList();
    assertThat(events)
        .anySatisfy(
            e -> assertThat(e).startsWith("epoch ").contains("\"epoch\":5", "\"loss\":0.25"));
    assertThat(summary(id).get("state").asText()).isEqualTo("interrupted");
    assertThat(ok(get("runs/get?run_id=" + id)).get("run").get("info").get("status").asText())
        .isEqualTo("FAILED");
  }

  @Test
  void mlflowErrorsHaveMlflowsShapeAndStatus() throws Exception {
    fx = ServerFixture.start(data);
    String id = startRun();
    Response dup = post("experiments/create", "{\"name\": \"iris-mlp\"}");
    assertThat(dup.status()).isEqualTo(400);
    assertThat(dup.json().get("error_code").asText()).isEqualTo("RESOURCE_ALREADY_EXISTS");
    ok(
        post(
            "runs/log-parameter",
            "{\"run_id\": \"" + id + "\", \"key\": \"lr\", \"value\": \"0.1\"}"));
    Response changed =
        post(
            "runs/log-parameter",
            "{\"run_id\": \"" + id + "\", \"key\": \"lr\", \"value\": \"0.2\"}");
    assertThat(changed.status()).isEqualTo(400);
    assertThat(changed.json().get("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
    assertThat(changed.json().get("message").asText())
        .contains("Changing param values is not allowed");
    Response unknown = get("runs/get?run_id=nope");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("error_code").asText()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
    Response artifacts = post("model-versions/create", "{\"name\": \"m\"}");
    assertThat(artifacts.status()).isEqualTo(501);
    assertThat(artifacts.json().get("error_code").asText()).isEqualTo("NOT_IMPLEMENTED");
    Response upload =
        fx.request(
            HttpMethod.PUT, "/api/2.0/mlflow-artifacts/artifacts/1/x/model.pkl", "x", CLIENT);
    assertThat(upload.status()).isEqualTo(501);
    Response malformed = post("runs/log-metric", "{\"run_id\": ");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.json().get("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
    Response badValue =
        post(
            "runs/log-metric",
            "{\"run_id\": \"" + id + "\", \"key\": \"loss\", \"value\": \"high\"}");
    assertThat(badValue.status()).isEqualTo(400);
    assertThat(badValue.json().get("message").asText()).contains("'value'");
    endRun(id, "FINISHED");
    Response late =
        post(
            "runs/log-metric",
            "{\"run_id\": \"" + id + "\", \"key\": \"loss\", \"value\": 1, \"step\": 9}");
    assertThat(late.status()).isEqualTo(400);
    assertThat(late.json().get("message").asText()).contains("has ended");
  }

  @Test
  void theTokenRuleHoldsWithMlflowsBearerHeader() throws Exception {
    fx = new ServerFixture(ServerFixture.config(data).toBuilder().token("s3cret").build());
    Response anonymous = post("experiments/create", "{\"name\": \"x\"}");
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.json().get("error_code").asText()).isEqualTo("UNAUTHENTICATED");
    Map<String, String> withToken = new java.util.HashMap<>(CLIENT);
    withToken.put("Authorization", "Bearer s3cret");
    Response created =
        fx.request(HttpMethod.POST, API + "experiments/create", "{\"name\": \"x\"}", withToken);
    assertThat(created.status()).as(created.body()).isEqualTo(200);
  }
}
