package dev.trainscope.server.http;

import static dev.trainscope.server.ServerFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainscope.server.ServerFixture;
import dev.trainscope.server.ServerFixture.Response;
import dev.trainscope.server.ServerFixture.Sse;
import dev.trainscope.server.Tmpfs;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

class RunsApiTest {
  @TempDir Path data;
  ServerFixture fx;

  @BeforeEach
  void start() throws Exception {
    fx = ServerFixture.start(data);
  }

  Tmpfs disk;

  @AfterEach
  void stop() throws Exception {
    fx.close();
    if (disk != null) disk.close();
  }

  /** The server, now on a 2 MiB tmpfs. */
  private void onSmallDisk() throws Exception {
    fx.close();
    disk = Tmpfs.mount("2m");
    fx = ServerFixture.start(disk.dir());
  }

  @Test
  void createReturns201WithLocationAndSummary() {
    Response r = fx.post("/api/runs", "{}");
    assertThat(r.status()).isEqualTo(201);
    String id = r.json().get("id").asText();
    assertThat(r.headers().get("Location")).isEqualTo("/api/runs/" + id);
    assertThat(r.json().get("state").asText()).isIn("queued", "running", "completed");
    assertThat(r.json().get("epochs").asInt()).isEqualTo(200);
    fx.post("/api/runs/" + id + "/stop", "");
  }

  @Test
  void listShowsRunsNewestFirstAndShowHasConfigAndModel() {
    String a = fx.startRun("{\"epochs\":2}");
    fx.awaitFinished(a);
    String b = fx.startRun("{\"epochs\":2,\"name\":\"second\"}");
    fx.awaitFinished(b);
    JsonNode list = fx.get("/api/runs").json();
    assertThat(list.get(0).get("id").asText()).isEqualTo(b);
    assertThat(list.get(1).get("id").asText()).isEqualTo(a);
    assertThat(list.get(0).get("name").asText()).isEqualTo("second");
    assertThat(list.get(0).get("state").asText()).isEqualTo("completed");
    assertThat(list.get(0).get("lastEpoch").asInt()).isEqualTo(2);
    assertThat(list.get(0).get("dataset").asText()).isEqualTo("iris");
    JsonNode one = fx.get("/api/runs/" + a).json();
    // The detail is the summary's fields, flat, plus config, model and the event count.
    assertThat(one.get("id").asText()).isEqualTo(a);
    assertThat(one.get("state").asText()).isEqualTo("completed");
    assertThat(one.has("summary")).isFalse();
    assertThat(one.get("events").asLong()).isPositive();
    assertThat(one.get("config").get("epochs").asInt()).isEqualTo(2);
    assertThat(one.get("model").get("layers").size()).isEqualTo(3);
  }

  @Test
  void aTwoClassDataSetStartsWithTheDefaultLayers() {
    Response r = fx.post("/api/runs", "{\"dataset\": \"xor\", \"epochs\": 2}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    String id = r.json().get("id").asText();
    fx.awaitFinished(id);
    JsonNode config = fx.get("/api/runs/" + id).json().get("config");
    assertThat(config.get("layers").get(2).get("units").asInt()).isEqualTo(2);
  }

  @Test
  void unknownRunIs404WithJsonError() {
    Response r = fx.get("/api/runs/nope");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().get("error").asText()).contains("nope");
    assertThat(fx.get("/api/runs/nope/events").status()).isEqualTo(404);
    assertThat(fx.post("/api/runs/nope/pause", "").status()).isEqualTo(404);
  }

  @Test
  void pauseResumeAndStopControlALiveRunAnd409AfterItFinished() {
    String id = fx.startRun("{\"epochs\":50,\"epochDelayMs\":50}");
    String uri = "/api/runs/" + id;
    StepVerifier.create(fx.sse(uri + "/events?types=epoch,status,run-completed"))
        .expectNextMatches(e -> e.event().equals("epoch"))
        .then(
            () ->
                assertThat(fx.post(uri + "/pause", "").json().get("state").asText())
                    .isEqualTo("paused"))
        .thenConsumeWhile(e -> !e.event().equals("status"))
        .then(() -> assertThat(fx.post(uri + "/step", "").status()).isEqualTo(200))
        .then(
            () ->
                assertThat(fx.post(uri + "/resume", "").json().get("state").asText())
                    .isEqualTo("running"))
        .then(
            () ->
                assertThat(fx.post(uri + "/stop", "").json().get("state").asText())
                    .isEqualTo("stopped"))
        .thenConsumeWhile(e -> !e.event().equals("run-completed"))
        .expectNextMatches(e -> e.data().contains("\"stopped\":true"))
        .expectComplete()
        .verify(TIMEOUT);
    assertThat(fx.get(uri).json().get("state").asText()).isEqualTo("stopped");
    for (String action : new String[] {"pause", "resume", "step", "stop"}) {
      Response r = fx.post(uri + "/" + action, "");
      assertThat(r.status()).isEqualTo(409);
      assertThat(r.json().get("error").asText()).contains("finished");
    }
  }

  @Test
  void malformedJsonIs400NamingThePosition() {
    Response r = fx.post("/api/runs", "{\"epochs\": ");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("error").asText()).contains("line 1, column");
  }

  @Test
  void invalidUtf8InAConfigIs400NamingTheByteOffset() throws Exception {
    byte[] body = RawHttp.withInvalidByte("{\"epochs\": 2, \"name\": \"a\u0000\"}");
    RawHttp.Reply r = RawHttp.postBytes(fx.server.port(), "/api/runs", "application/json", body);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).contains("UTF-8").contains("offset 24");
    assertThat(fx.get("/api/runs").json().size()).isZero();
  }

  @Test
  void invalidConfigIs400NamingTheField() {
    Response r = fx.post("/api/runs", "{\"epochs\": 0}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("field").asText()).isEqualTo("epochs");
    Response big =
        fx.post("/api/runs", "{\"layers\":[{\"units\":100000000,\"activation\":\"softmax\"}]}");
    assertThat(big.status()).isEqualTo(400);
    assertThat(big.json().get("field").asText()).startsWith("layers");
    Response unknown = fx.post("/api/runs", "{\"epoch\": 3}");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.json().get("field").asText()).isEqualTo("epoch");
  }

  @Test
  void bodyOverOneMebibyteIs413() {
    String huge = "{\"name\":\"" + "x".repeat(1024 * 1024 + 10) + "\"}";
    Response r = fx.post("/api/runs", huge);
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.json().get("error").asText()).contains("larger");
  }

  @Test
  void unknownRouteIs404AndWrongMethodIs405() {
    Response notFound = fx.get("/api/nothing");
    assertThat(notFound.status()).isEqualTo(404);
    assertThat(notFound.json().has("error")).isTrue();
    Response wrong = fx.request(HttpMethod.DELETE, "/api/runs", null, Map.of());
    assertThat(wrong.status()).isEqualTo(405);
    assertThat(wrong.headers().get("Allow")).contains("GET").contains("POST");
    assertThat(wrong.json().has("error")).isTrue();
    assertThat(fx.post("/health", "").status()).isEqualTo(405);
  }

  @Test
  void healthAndMetrics() {
    assertThat(fx.get("/health").json().get("status").asText()).isEqualTo("UP");
    String id = fx.startRun("{\"epochs\":2}");
    int events = fx.awaitFinished(id).size();
    String metrics = fx.get("/metrics").body();
    assertThat(metrics).contains("trainscope_runs{state=\"completed\"} 1.0");
    assertThat(metrics).contains("trainscope_events_emitted_total " + events + ".0");
    assertThat(metrics).contains("trainscope_log_events_written_total " + events + ".0");
    assertThat(metrics).contains("trainscope_streams_open");
  }

  @SuppressWarnings("unused")
  private static boolean isEpoch(Sse e) {
    return e.event().equals("epoch");
  }

  @Test
  void creatingARunOnAFullDiskIsAnswered507AndLeavesNothingBehind() throws Exception {
    onSmallDisk();
    disk.fill();
    for (String body : List.of("{\"epochs\": 2}", "{\"external\": true}")) {
      Response r = fx.post("/api/runs", body);
      assertThat(r.status()).as(r.body()).isEqualTo(507);
      assertThat(r.json().get("error").asText())
          .startsWith("no space left on device writing run ")
          .endsWith("'s run.json");
    }
    assertThat(fx.get("/api/runs").json()).isEmpty();
    try (var dirs = Files.list(disk.dir().resolve("runs"))) {
      assertThat(dirs).as("no half-created run for the next start to load").isEmpty();
    }

    disk.free();
    assertThat(fx.post("/api/runs", "{\"external\": true}").status()).isEqualTo(201);
  }

  @Test
  void aTrainingRunWhoseLogCannotBeWrittenShowsFailedAndEndsRunFailedOnceThereIsRoom()
      throws Exception {
    onSmallDisk();
    String id = fx.startRun("{\"epochs\": 5000, \"epochDelayMs\": 5}");
    awaitState(id, r -> r.path("lastEpoch").asInt() >= 3);

    disk.fill();
    awaitState(id, r -> r.get("state").asText().equals("failed"));
    Path file = disk.dir().resolve("runs").resolve(id).resolve("events.ndjson");
    assertValidPrefix(Files.readAllLines(file));

    disk.free();
    List<Sse> streamed = fx.awaitFinished(id); // ends, with the reason, once it could be written
    Sse last = streamed.get(streamed.size() - 1);
    assertThat(last.event()).isEqualTo("run-failed");
    assertThat(last.data())
        .contains("\"code\":\"storage-error\"")
        .contains("no space left on device writing run " + id + "'s log");
    List<String> lines = Files.readAllLines(file);
    assertValidPrefix(lines);
    assertThat(lines.get(lines.size() - 1)).isEqualTo(last.data());
    assertThat(fx.get("/api/runs/" + id).json().get("state").asText()).isEqualTo("failed");
  }

  private void awaitState(String id, java.util.function.Predicate<JsonNode> condition) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.test(fx.get("/api/runs/" + id).json())) {
      assertThat(System.nanoTime()).as("run " + id + " in time").isLessThan(deadline);
      java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
    }
  }

  /** Every line an event, each seq once and in order. */
  private static void assertValidPrefix(List<String> lines) throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper mapper =
        new com.fasterxml.jackson.databind.ObjectMapper();
    for (int seq = 0; seq < lines.size(); seq++) {
      assertThat(mapper.readTree(lines.get(seq)).get("seq").asInt()).isEqualTo(seq);
    }
  }
}
