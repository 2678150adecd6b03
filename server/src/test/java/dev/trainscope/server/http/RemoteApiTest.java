package dev.trainscope.server.http;

import static dev.trainscope.server.ServerFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainscope.server.ServerFixture;
import dev.trainscope.server.ServerFixture.Response;
import dev.trainscope.server.ServerFixture.Sse;
import dev.trainscope.server.http.RawHttp.Reply;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

class RemoteApiTest {
  static final String FORM = "application/x-www-form-urlencoded";
  static final String JSON = "application/json";

  /** Strict JSON, as a browser's JSON.parse reads the stream (no bare NaN). */
  static final ObjectMapper STRICT = new ObjectMapper();

  @TempDir Path data;
  ServerFixture fx;

  @AfterEach
  void stop() {
    if (fx != null) fx.close();
  }

  /** {@code urllib.parse.urlencode({"data": s})} (quote_plus: space '+', safe "_.-~"). */
  static String urlencodeData(String s) {
    StringBuilder sb = new StringBuilder("data=");
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "_.-~".indexOf(c) >= 0) {
        sb.append((char) c);
      } else if (c == ' ') {
        sb.append('+');
      } else {
        sb.append('%').append(String.format("%02X", c));
      }
    }
    return sb.toString();
  }

  /** {@code requests.post(url, {"data": json.dumps(logs)})}. */
  Reply kerasForm(String path, String dumps) throws Exception {
    return RawHttp.requestsPost(fx.server.port(), path, FORM, urlencodeData(dumps), Map.of());
  }

  /** {@code requests.post(url, json=logs)}. */
  Reply kerasJson(String path, String dumps) throws Exception {
    return RawHttp.requestsPost(fx.server.port(), path, JSON, dumps, Map.of());
  }

  @Test
  void formEncodingMatchesWhatRequestsSends() {
    assertThat(
            urlencodeData("{\"epoch\": 0, \"loss\": 0.5, \"accuracy\": 0.75, \"val_loss\": NaN}"))
        .isEqualTo(
            "data=%7B%22epoch%22%3A+0%2C+%22loss%22%3A+0.5%2C+%22accuracy%22%3A+0.75%2C+%22val_loss%22%3A+NaN%7D");
  }

  @Test
  void kerasFormAndJsonBodiesBecomeOneRunThatStreamsInOrder() throws Exception {
    fx = ServerFixture.start(data);
    Reply first =
        kerasForm("/publish/epoch/end/", "{\"epoch\": 0, \"loss\": 0.5, \"accuracy\": 0.75}");
    assertThat(first.status()).isEqualTo(200);
    JsonNode accepted = STRICT.readTree(first.body());
    String id = accepted.get("run").asText();
    assertThat(accepted.get("seq").asLong()).isEqualTo(1);

    StepVerifier.create(fx.sse("/api/runs/" + id + "/events"))
        .expectNextMatches(e -> e.event().equals("run-started") && e.id().equals("0"))
        .assertNext(e -> assertEpoch(e, 1, 0.5))
        .then(
            () ->
                post(
                    () ->
                        kerasJson(
                            "/publish/epoch/end/",
                            "{\"epoch\": 1, \"loss\": 0.25, \"accuracy\": 0.875}")))
        .assertNext(e -> assertEpoch(e, 2, 0.25))
        .then(
            () ->
                post(
                    () ->
                        kerasForm(
                            "/publish/epoch/end",
                            "{\"epoch\": 2, \"loss\": 0.125, \"accuracy\": 0.9375}")))
        .assertNext(e -> assertEpoch(e, 3, 0.125))
        .thenCancel()
        .verify(TIMEOUT);

    JsonNode run = fx.get("/api/runs").json().get(0);
    assertThat(run.get("id").asText()).isEqualTo(id);
    assertThat(run.get("name").asText())
        .isEqualTo("Keras run from 127.0.0.1 (python-requests/2.31.0)");
    assertThat(run.get("state").asText()).isEqualTo("running");
    assertThat(run.get("external").asBoolean()).isTrue();
    assertThat(run.get("lastEpoch").asInt()).isEqualTo(3);
    assertThat(run.get("loss").asDouble()).isEqualTo(0.125);
    assertThat(run.get("accuracy").asDouble()).isEqualTo(0.9375);
  }

  @Test
  void rootEndingInSlashGivesADoubledSlashThatIsAccepted() throws Exception {
    fx = ServerFixture.start(data);
    Reply r = kerasForm("//publish/epoch/end/", "{\"epoch\": 0, \"loss\": 0.5}");
    assertThat(r.status()).isEqualTo(200);
    String id = STRICT.readTree(r.body()).get("run").asText();
    assertThat(fx.get("/api/runs/" + id).json().get("lastEpoch").asInt()).isEqualTo(1);
  }

  @Test
  void epochZeroStartsANewRunAndCompletesThePreviousOne() throws Exception {
    fx = ServerFixture.start(data);
    String a =
        STRICT
            .readTree(kerasForm("/publish/epoch/end/", "{\"epoch\": 0, \"loss\": 0.5}").body())
            .get("run")
            .asText();
    kerasForm("/publish/epoch/end/", "{\"epoch\": 1, \"loss\": 0.4}");
    String b =
        STRICT
            .readTree(kerasForm("/publish/epoch/end/", "{\"epoch\": 0, \"loss\": 0.9}").body())
            .get("run")
            .asText();

    assertThat(b).isNotEqualTo(a);
    JsonNode first = fx.get("/api/runs/" + a).json();
    assertThat(first.get("state").asText()).isEqualTo("completed");
    assertThat(first.get("lastEpoch").asInt()).isEqualTo(2);
    assertThat(first.get("epochs").asInt()).isEqualTo(2);
    assertThat(fx.get("/api/runs/" + b).json().get("state").asText()).isEqualTo("running");
    java.util.List<Sse> events = fx.awaitFinished(a);
    assertThat(events)
        .extracting(Sse::event)
        .containsExactly("run-started", "epoch", "epoch", "run-completed");
    assertThat(STRICT.readTree(events.get(3).data()).get("loss").asDouble()).isEqualTo(0.4);
  }

  @Test
  void nonFiniteMetricsAreKeptAsTextFlaggedAndTheStreamStaysStrictJson() throws Exception {
    fx = ServerFixture.start(data);
    Reply r =
        kerasForm(
            "/publish/epoch/end/",
            "{\"epoch\": 0, \"loss\": NaN, \"accuracy\": 0.5, \"val_loss\": Infinity, \"val_accuracy\": 0.25}");
    assertThat(r.status()).isEqualTo(200);
    String id = STRICT.readTree(r.body()).get("run").asText();
    fx.post("/api/runs/" + id + "/finish", "");

    java.util.List<Sse> events = fx.awaitFinished(id);
    assertThat(events)
        .extracting(Sse::event)
        .containsExactly("run-started", "epoch", "insight", "run-completed");
    for (Sse e : events) STRICT.readTree(e.data()); // every frame is valid JSON
    JsonNode epoch = STRICT.readTree(events.get(1).data());
    assertThat(epoch.has("loss")).isFalse();
    assertThat(epoch.get("accuracy").asDouble()).isEqualTo(0.5);
    assertThat(epoch.get("metrics").get("loss").asText()).isEqualTo("NaN");
    assertThat(epoch.get("metrics").get("val_loss").asText()).isEqualTo("Infinity");
    JsonNode insight = STRICT.readTree(events.get(2).data());
    assertThat(insight.get("level").asText()).isEqualTo("warning");
    assertThat(insight.get("code").asText()).isEqualTo("non-finite-metric");
    assertThat(insight.get("epoch").asInt()).isEqualTo(1);
    assertThat(insight.get("message").asText()).contains("loss", "val_loss", "Epoch 1");
    JsonNode list = STRICT.readTree(fx.get("/api/runs").body());
    assertThat(list.get(0).has("loss")).isFalse();
    assertThat(fx.get("/api/runs/" + id + "/metrics.csv").body())
        .isEqualTo("epoch,accuracy,loss,val_accuracy,val_loss\r\n0,0.5,nan,0.25,inf\r\n");
  }

  @Test
  void bearerTokenInRemoteMonitorHeadersPassesTheTokenRule() throws Exception {
    fx = new ServerFixture(ServerFixture.config(data).toBuilder().token("s3cret").build());
    String body = urlencodeData("{\"epoch\": 0, \"loss\": 0.5}");
    Reply without =
        RawHttp.requestsPost(fx.server.port(), "/publish/epoch/end/", FORM, body, Map.of());
    assertThat(without.status()).isEqualTo(401);
    Reply doubled =
        RawHttp.requestsPost(fx.server.port(), "//publish/epoch/end/", FORM, body, Map.of());
    assertThat(doubled.status()).isEqualTo(401);
    Reply with =
        RawHttp.requestsPost(
            fx.server.port(),
            "/publish/epoch/end/",
            FORM,
            body,
            Map.of("Authorization", "Bearer s3cret"));
    assertThat(with.status()).isEqualTo(200);
  }

  @Test
  void malformedKerasBodyIs400AndStartsNoRun() throws Exception {
    fx = ServerFixture.start(data);
    Reply noField =
        RawHttp.requestsPost(fx.server.port(), "/publish/epoch/end/", FORM, "other=1", Map.of());
    assertThat(noField.status()).isEqualTo(400);
    assertThat(STRICT.readTree(noField.body()).get("field").asText()).isEqualTo("data");
    Reply noEpoch = kerasJson("/publish/epoch/end/", "{\"loss\": 0.5}");
    assertThat(noEpoch.status()).isEqualTo(400);
    assertThat(STRICT.readTree(noEpoch.body()).get("field").asText()).isEqualTo("epoch");
    assertThat(fx.get("/api/runs").json().size()).isZero();
  }

  @Test
  void metricsCsvHasCsvLoggerHeaderColumnOrderZeroBasedEpochsAndShortestNumbers() throws Exception {
    fx = ServerFixture.start(data);
    String id =
        fx.post("/api/runs", "{\"external\": true, \"name\": \"csv\"}").json().get("id").asText();
    Response pushed =
        fx.post(
            "/api/runs/" + id + "/events",
            "[{\"type\":\"epoch\",\"epoch\":1,\"epochs\":2,\"loss\":0.30000000000000004,\"accuracy\":0.5,"
                + "\"metrics\":{\"val_loss\":0.1,\"loss\":0.30000000000000004,\"val_accuracy\":1e-05,\"accuracy\":0.5}},"
                + "{\"type\":\"epoch\",\"epoch\":2,\"epochs\":2,\"loss\":0.25,"
                + "\"metrics\":{\"loss\":0.25,\"accuracy\":0.75,\"val_loss\":2.0,\"val_accuracy\":1e16}}]");
    assertThat(pushed.status()).as(pushed.body()).isEqualTo(200);

    Response csv = fx.get("/api/runs/" + id + "/metrics.csv");

    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.headers().get("Content-Type")).isEqualTo("text/csv; charset=utf-8");
    assertThat(csv.headers().get("Content-Disposition"))
        .isEqualTo("attachment; filename=\"" + id + "-metrics.csv\"");
    assertThat(csv.body())
        .isEqualTo(
            "epoch,accuracy,loss,val_accuracy,val_loss\r\n"
                + "0,0.5,0.30000000000000004,1e-05,0.1\r\n"
                + "1,0.75,0.25,1e+16,2.0\r\n");
  }

  @Test
  void metricsCsvOfAnEngineRunUsesKerasNames() {
    fx = startQuietly();
    String id = fx.startRun("{\"epochs\":2}");
    fx.awaitFinished(id);
    String csv = fx.get("/api/runs/" + id + "/metrics.csv").body();
    String[] lines = csv.split("\r\n");
    assertThat(lines).hasSize(3);
    assertThat(lines[0]).startsWith("epoch,").contains("loss");
    assertThat(lines[1]).startsWith("0,");
    assertThat(lines[2]).startsWith("1,");
    assertThat(fx.get("/api/runs/nope/metrics.csv").status()).isEqualTo(404);
  }

  private ServerFixture startQuietly() {
    try {
      return ServerFixture.start(data);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static void assertEpoch(Sse e, int epoch, double loss) {
    assertThat(e.event()).isEqualTo("epoch");
    try {
      JsonNode n = STRICT.readTree(e.data());
      assertThat(n.get("epoch").asInt()).isEqualTo(epoch);
      assertThat(n.get("loss").asDouble()).isEqualTo(loss);
      assertThat(n.get("metrics").get("loss").asDouble()).isEqualTo(loss);
    } catch (java.io.IOException ex) {
      throw new AssertionError(ex);
    }
  }

  interface Call {
    Reply call() throws Exception;
  }

  private static void post(Call call) {
    try {
      Reply r = call.call();
      assertThat(r.status()).as(r.body()).isEqualTo(200);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void invalidUtf8InAKerasJsonOrFormBodyIs400NamingTheByteOffsetAndStartsNoRun() throws Exception {
    fx = ServerFixture.start(data);
    byte[] json = RawHttp.withInvalidByte("{\"epoch\": 0, \"l\u0000ss\": 0.5}");
    Reply asJson =
        RawHttp.postBytes(fx.server.port(), "/publish/epoch/end/", "application/json", json);
    assertThat(asJson.status()).as(asJson.body()).isEqualTo(400);
    assertThat(asJson.body()).contains("UTF-8").contains("offset 15");
    // %FF decodes to the byte 0xFF at offset 15 of the field's JSON.
    Reply asForm =
        RawHttp.requestsPost(
            fx.server.port(),
            "/publish/epoch/end/",
            FORM,
            "data=%7B%22epoch%22%3A+0%2C+%22l%FFss%22%3A+0.5%7D",
            Map.of());
    assertThat(asForm.status()).as(asForm.body()).isEqualTo(400);
    assertThat(asForm.body())
        .contains("UTF-8")
        .contains("offset 15")
        .contains("\"field\":\"data\"");
    assertThat(fx.get("/api/runs").json().size()).isZero();
  }
}
