package dev.trainscope.server.http;

import static dev.trainscope.server.ServerFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainscope.server.ChildServer;
import dev.trainscope.server.ServerFixture;
import dev.trainscope.server.ServerFixture.Response;
import dev.trainscope.server.ServerFixture.Sse;
import dev.trainscope.server.Tmpfs;
import dev.trainscope.server.log.RunLog;
import io.netty.handler.codec.http.HttpMethod;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

class ExternalRunsApiTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  static final Map<String, String> NDJSON = Map.of("Content-Type", "application/x-ndjson");

  @TempDir Path data;
  ServerFixture fx;

  Tmpfs disk;

  @AfterEach
  void stop() throws Exception {
    if (fx != null) fx.close();
    if (disk != null) disk.close();
  }

  private String createExternal(String body) {
    Response r = fx.post("/api/runs", body);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().get("id").asText();
  }

  private static String epoch(int epoch, double loss) {
    return "{\"type\":\"epoch\",\"epoch\":" + epoch + ",\"epochs\":4,\"loss\":" + loss + "}";
  }

  private long events(String id) {
    return fx.get("/api/runs/" + id).json().get("events").asLong();
  }

  @Test
  void runFedAsOneObjectAnArrayAndNdjsonIsListedAndStreamsInOrder() throws Exception {
    fx = ServerFixture.start(data);
    Response created =
        fx.post(
            "/api/runs",
            "{\"external\": true, \"name\": \"torch mlp\", \"model\": {\"inputs\": 4, \"parameters\": 35, "
                + "\"layers\": [{\"index\":0,\"inputs\":4,\"units\":5,\"activation\":\"relu\",\"parameters\":25}]}}");
    assertThat(created.status()).isEqualTo(201);
    String id = created.json().get("id").asText();
    assertThat(created.headers().get("Location")).isEqualTo("/api/runs/" + id);
    assertThat(created.json().get("state").asText()).isEqualTo("running");
    String uri = "/api/runs/" + id;

    StepVerifier.create(fx.sse(uri + "/events"))
        .assertNext(e -> assertThat(e.event()).isEqualTo("run-started"))
        .then(
            () ->
                assertThat(fx.post(uri + "/events", epoch(1, 0.9)).json().get("nextSeq").asLong())
                    .isEqualTo(2))
        .assertNext(e -> assertThat(e.id()).isEqualTo("1"))
        .then(
            () -> {
              Response r =
                  fx.post(
                      uri + "/events",
                      "["
                          + epoch(2, 0.5)
                          + ","
                          + "{\"type\":\"insight\",\"epoch\":2,\"level\":\"info\",\"code\":\"loss-decreasing\",\"message\":\"Loss is going down\"}]");
              assertThat(r.json().get("accepted").asInt()).isEqualTo(2);
            })
        .assertNext(e -> assertThat(e.event() + e.id()).isEqualTo("epoch2"))
        .assertNext(e -> assertThat(e.event() + e.id()).isEqualTo("insight3"))
        .then(
            () -> {
              Response r =
                  fx.request(
                      HttpMethod.POST,
                      uri + "/events",
                      epoch(3, 0.25)
                          + "\n\n{\"type\":\"batch\",\"epoch\":4,\"batch\":1,\"loss\":0.2}\n"
                          + epoch(4, 0.125)
                          + "\n",
                      NDJSON);
              assertThat(r.status()).as(r.body()).isEqualTo(200);
              assertThat(r.json().get("accepted").asInt()).isEqualTo(3);
            })
        .assertNext(e -> assertThat(e.event() + e.id()).isEqualTo("epoch4"))
        .assertNext(e -> assertThat(e.event() + e.id()).isEqualTo("batch5"))
        .assertNext(e -> assertThat(e.event() + e.id()).isEqualTo("epoch6"))
        .then(
            () ->
                assertThat(fx.post(uri + "/finish", "").json().get("state").asText())
                    .isEqualTo("completed"))
        .assertNext(
            e -> {
              assertThat(e.event()).isEqualTo("run-completed");
              assertThat(e.data()).contains("\"loss\":0.125", "\"epochs\":4");
            })
        .expectComplete()
        .verify(TIMEOUT);

    JsonNode listed = fx.get("/api/runs").json().get(0);
    assertThat(listed.get("id").asText()).isEqualTo(id);
    assertThat(listed.get("name").asText()).isEqualTo("torch mlp");
    assertThat(listed.get("state").asText()).isEqualTo("completed");
    assertThat(listed.get("external").asBoolean()).isTrue();
    assertThat(listed.get("epochs").asInt()).isEqualTo(4);
    assertThat(listed.get("lastEpoch").asInt()).isEqualTo(4);
    JsonNode detail = fx.get(uri).json();
    assertThat(detail.has("config")).isFalse();
    assertThat(detail.get("model").get("parameters").asInt()).isEqualTo(35);
  }

  @Test
  void givenSeqTimeAndRunIdAreKeptWhenTheyMatch() throws Exception {
    fx = ServerFixture.start(data);
    String id = createExternal("{\"external\": true}");
    Response r =
        fx.post(
            "/api/runs/" + id + "/events",
            "{\"type\":\"epoch\",\"runId\":\""
                + id
                + "\",\"seq\":1,\"time\":1234,\"epoch\":1,\"loss\":0.5}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    String line = fx.get("/api/runs/" + id + "/events.ndjson").body().split("\n")[1];
    assertThat(line).contains("\"seq\":1", "\"time\":1234");
    assertThat(fx.get("/api/runs/" + id).json().get("name").asText()).isEqualTo("external run");
  }

  @Test
  void rejectedBatchIs400NamingEventIndexAndFieldAndStoresNothing() throws Exception {
    fx = ServerFixture.start(data);
    String id = createExternal("{\"external\": true}");
    String uri = "/api/runs/" + id + "/events";
    long before = events(id);

    Map<String, String> cases =
        Map.of(
            "[" + epoch(1, 0.5) + ",{\"type\":\"epoch\",\"epoch\":2,\"loss\":NaN}]",
            "events[1].loss",
            "[" + epoch(1, 0.5) + ",{\"type\":\"epoch\",\"epoch\":2,\"loss\":\"Infinity\"}]",
            "events[1].loss",
            "[" + epoch(1, 0.5) + ",{\"type\":\"nope\"}]",
            "events[1].type",
            "[{\"type\":\"epoch\",\"epoch\":\"two\"}]",
            "events[0].epoch",
            "{\"type\":\"run-started\",\"model\":{\"layers\":[]}}",
            "events[0].type",
            "{\"type\":\"status\",\"state\":\"paused\",\"epoch\":1}",
            "events[0].type",
            "[" + epoch(1, 0.5) + ",{\"type\":\"epoch\",\"seq\":7,\"epoch\":2}]",
            "events[1].seq",
            "{\"type\":\"epoch\",\"runId\":\"other\",\"epoch\":1}",
            "events[0].runId",
            "[{\"type\":\"run-completed\"}," + epoch(1, 0.5) + "]",
            "events[1]");
    cases.forEach(
        (body, field) -> {
          Response r = fx.post(uri, body);
          assertThat(r.status()).as(body + " -> " + r.body()).isEqualTo(400);
          assertThat(r.json().get("field").asText()).as(body).isEqualTo(field);
          assertThat(r.json().get("error").asText()).as(body).startsWith(field);
        });
    Response ndjson = fx.request(HttpMethod.POST, uri, epoch(1, 0.5) + "\n{\"type\":", NDJSON);
    assertThat(ndjson.status()).isEqualTo(400);
    assertThat(ndjson.json().get("field").asText()).isEqualTo("events[1]");
    assertThat(fx.post(uri, "").status()).isEqualTo(400);
    assertThat(fx.post(uri, "42").status()).isEqualTo(400);

    assertThat(events(id)).isEqualTo(before);
    assertThat(fx.get("/api/runs/" + id).json().get("state").asText()).isEqualTo("running");
    assertThat(fx.post(uri, epoch(1, 0.5)).json().get("nextSeq").asLong()).isEqualTo(before + 1);
  }

  @Test
  void terminalEventEndsTheRunAndLaterPushesAre409() throws Exception {
    fx = ServerFixture.start(data);
    String id = createExternal("{\"external\": true, \"name\": \"dies\"}");
    String uri = "/api/runs/" + id;
    Response r =
        fx.post(
            uri + "/events",
            "[" + epoch(1, 0.5) + ",{\"type\":\"run-failed\",\"reason\":\"CUDA out of memory\"}]");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("state").asText()).isEqualTo("failed");

    List<Sse> all = fx.awaitFinished(id);
    assertThat(all).extracting(Sse::event).containsExactly("run-started", "epoch", "run-failed");
    assertThat(all.get(2).data()).contains("\"epoch\":1", "\"code\":\"external-failure\"");
    Response late = fx.post(uri + "/events", epoch(2, 0.4));
    assertThat(late.status()).isEqualTo(409);
    assertThat(late.json().get("error").asText()).contains("finished");
    assertThat(fx.post(uri + "/finish", "").status()).isEqualTo(409);
  }

  @Test
  void invalidUtf8InAJsonOrNdjsonPushIs400NamingTheByteOffsetAndStoresNothing() throws Exception {
    fx = ServerFixture.start(data);
    String id = createExternal("{\"external\": true}");
    String uri = "/api/runs/" + id + "/events";
    long before = events(id);
    String json = "{\"type\":\"epoch\",\"epoch\":1,\"metrics\":{\"acc\u0000\":1}}";
    for (var body :
        Map.of(
                "application/json", RawHttp.withInvalidByte(json),
                "application/x-ndjson",
                    RawHttp.withInvalidByte(epoch(1, 0.5) + "\n{\"x\":\"\u0000\"}"))
            .entrySet()) {
      RawHttp.Reply r = RawHttp.postBytes(fx.server.port(), uri, body.getKey(), body.getValue());
      int offset = indexOfFf(body.getValue());
      assertThat(r.status()).as(body.getKey() + " " + r.body()).isEqualTo(400);
      assertThat(r.body()).contains("UTF-8").contains("offset " + offset);
    }
    assertThat(events(id)).isEqualTo(before);
  }

  static int indexOfFf(byte[] bytes) {
    for (int i = 0; i < bytes.length; i++) if (bytes[i] == (byte) 0xFF) return i;
    return -1;
  }

  @Test
  void malformedJsonInAPushNamesLineAndColumnOfTheBody() throws Exception {
    fx = ServerFixture.start(data);
    String id = createExternal("{\"external\": true}");
    String uri = "/api/runs/" + id + "/events";
    Response json = fx.post(uri, "{\"type\": \"epoch\",\n \"epoch\": 2,, }");
    assertThat(json.status()).isEqualTo(400);
    assertThat(json.json().get("error").asText()).contains("line 2, column 13");
    Response ndjson =
        fx.request(
            HttpMethod.POST, uri, epoch(1, 0.5) + "\n\n" + "{\"type\": \"epoch\",, }\n", NDJSON);
    assertThat(ndjson.status()).isEqualTo(400);
    assertThat(ndjson.json().get("field").asText()).isEqualTo("events[1]");
    assertThat(ndjson.json().get("error").asText())
        .startsWith("events[1]")
        .contains("line 3, column 18");
  }

  @Test
  void controlOfAnExternalRunIs409SayingItIsExternal() throws Exception {
    fx = ServerFixture.start(data);
    String uri = "/api/runs/" + createExternal("{\"external\": true}");
    for (String action : new String[] {"pause", "resume", "step", "stop"}) {
      Response r = fx.post(uri + "/" + action, "");
      assertThat(r.status()).isEqualTo(409);
      assertThat(r.json().get("error").asText()).contains("external").doesNotContain("finished");
    }
  }

  @Test
  void pushingToAnEngineRunIs409AndToAnUnknownRunIs404() throws Exception {
    fx = ServerFixture.start(data);
    String engine = fx.startRun("{\"epochs\":2}");
    fx.awaitFinished(engine);
    assertThat(fx.post("/api/runs/" + engine + "/events", epoch(3, 0.1)).status()).isEqualTo(409);
    assertThat(fx.post("/api/runs/" + engine + "/finish", "").status()).isEqualTo(409);
    assertThat(fx.post("/api/runs/nope/events", epoch(1, 0.1)).status()).isEqualTo(404);
  }

  @Test
  void badExternalCreateBodiesAre400NamingTheField() throws Exception {
    fx = ServerFixture.start(data);
    assertThat(
            fx.post("/api/runs", "{\"external\": true, \"epochs\": 3}")
                .json()
                .get("field")
                .asText())
        .isEqualTo("epochs");
    assertThat(fx.post("/api/runs", "{\"external\": \"yes\"}").json().get("field").asText())
        .isEqualTo("external");
    assertThat(
            fx.post("/api/runs", "{\"external\": true, \"name\": 3}").json().get("field").asText())
        .isEqualTo("name");
    assertThat(
            fx.post("/api/runs", "{\"external\": true, \"model\": 3}").json().get("field").asText())
        .isEqualTo("model");
    assertThat(fx.get("/api/runs").json().size()).isZero();
  }

  @Test
  void pushesNeedTheTokenWhenOneIsConfigured() throws Exception {
    fx = new ServerFixture(ServerFixture.config(data).toBuilder().token("s3cret").build());
    Map<String, String> auth = Map.of("Authorization", "Bearer s3cret");
    Response created = fx.request(HttpMethod.POST, "/api/runs", "{\"external\": true}", auth);
    String uri = "/api/runs/" + created.json().get("id").asText();
    assertThat(fx.post(uri + "/events", epoch(1, 0.5)).status()).isEqualTo(401);
    assertThat(fx.post(uri + "/finish", "").status()).isEqualTo(401);
    assertThat(fx.request(HttpMethod.POST, uri + "/events", epoch(1, 0.5), auth).status())
        .isEqualTo(200);
    assertThat(fx.request(HttpMethod.POST, uri + "/finish", "", auth).status()).isEqualTo(200);
  }

  @Test
  void anUnfinishedExternalRunComesBackInterruptedAfterARestart() throws Exception {
    fx = ServerFixture.start(data);
    String id = createExternal("{\"external\": true, \"name\": \"cluster job\"}");
    fx.post("/api/runs/" + id + "/events", epoch(1, 0.5));
    fx.close();
    fx = ServerFixture.start(data);

    JsonNode run = fx.get("/api/runs/" + id).json();
    assertThat(run.get("state").asText()).isEqualTo("interrupted");
    assertThat(run.get("name").asText()).isEqualTo("cluster job");
    assertThat(run.get("external").asBoolean()).isTrue();
    assertThat(run.get("lastEpoch").asInt()).isEqualTo(1);
    assertThat(fx.awaitFinished(id))
        .extracting(Sse::event)
        .containsExactly("run-started", "epoch", "status");
    assertThat(fx.post("/api/runs/" + id + "/events", epoch(2, 0.5)).status()).isEqualTo(409);
  }

  /**
   * kill -9 while three trainers push: every push answered 200 is on disk after a restart, each
   * event at the seq it was acknowledged with (so no acknowledged seq went to another event).
   */
  @Test
  void aPushAnsweredOkSurvivesKillMinus9() throws Exception {
    int pushers = 3;
    int pushesBeforeKill = 30;
    Map<String, Map<Long, String>> acked = new ConcurrentHashMap<>();
    List<String> ids = new ArrayList<>();
    try (ChildServer child = ChildServer.start(data, Duration.ofSeconds(60))) {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      for (int p = 0; p < pushers; p++) {
        HttpResponse<String> created =
            http.send(
                post(child.url() + "/api/runs", "{\"external\": true, \"name\": \"p" + p + "\"}"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = MAPPER.readTree(created.body()).get("id").asText();
        ids.add(id);
        acked.put(id, new ConcurrentHashMap<>(Map.of(0L, "run-started:0")));
      }
      CountDownLatch warmedUp = new CountDownLatch(pushers);
      ExecutorService pool = Executors.newFixedThreadPool(pushers);
      try {
        for (String id : ids) {
          pool.submit(
              () -> {
                // Until the kill makes a push fail; bounded in count either way.
                for (int k = 1; k <= 5000; k++) {
                  String body =
                      "[{\"type\":\"epoch\",\"epoch\":"
                          + k
                          + ",\"loss\":0.5},{\"type\":\"insight\",\"epoch\":"
                          + k
                          + ",\"level\":\"info\",\"code\":\"c\",\"message\":\"m\"}]";
                  HttpResponse<String> r;
                  try {
                    r =
                        http.send(
                            post(child.url() + "/api/runs/" + id + "/events", body),
                            HttpResponse.BodyHandlers.ofString());
                  } catch (Exception e) {
                    return null;
                  }
                  if (r.statusCode() != 200) return null;
                  long next = MAPPER.readTree(r.body()).get("nextSeq").asLong();
                  acked.get(id).put(next - 2, "epoch:" + k);
                  acked.get(id).put(next - 1, "insight:" + k);
                  if (k == pushesBeforeKill) warmedUp.countDown();
                }
                return null;
              });
        }
        assertThat(warmedUp.await(60, TimeUnit.SECONDS)).as("pushers warmed up").isTrue();
        child.kill();
      } finally {
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).as("pushers stopped").isTrue();
      }
    }

    fx = ServerFixture.start(data);
    for (String id : ids) {
      Map<Long, String> stored = new java.util.HashMap<>();
      for (String line : fx.get("/api/runs/" + id + "/events.ndjson").body().split("\n")) {
        JsonNode e = MAPPER.readTree(line);
        stored.put(e.get("seq").asLong(), e.get("type").asText() + ":" + e.path("epoch").asInt());
      }
      assertThat(acked.get(id).size()).isGreaterThan(2 * pushesBeforeKill);
      assertThat(stored).as("run " + id).containsAllEntriesOf(acked.get(id));
    }
  }

  private static HttpRequest post(String uri, String body) {
    return HttpRequest.newBuilder(URI.create(uri))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  /**
   * A push that does not fit on the disk gets 507 naming the cause, and leaves the log byte for
   * byte as it was: nothing of it is stored, streamed or counted, and the same push works once
   * there is room again (and is still there after a restart).
   */
  @Test
  void aPushOnAFullDiskIsAnswered507AndStoresNothing() throws Exception {
    disk = Tmpfs.mount("2m");
    fx = ServerFixture.start(disk.dir());
    String id = createExternal("{\"external\": true}");
    assertThat(fx.post("/api/runs/" + id + "/events", epoch(1, 0.5)).status()).isEqualTo(200);
    Path file = disk.dir().resolve("runs").resolve(id).resolve("events.ndjson");
    byte[] before = java.nio.file.Files.readAllBytes(file);
    StringBuilder batch = new StringBuilder(); // larger than a page, so a write is cut short
    for (int e = 2; e <= 101; e++) batch.append(epoch(e, 0.5)).append('\n');

    disk.fill();
    Response full =
        fx.request(HttpMethod.POST, "/api/runs/" + id + "/events", batch.toString(), NDJSON);
    assertThat(full.status()).as(full.body()).isEqualTo(507);
    assertThat(full.json().get("error").asText())
        .isEqualTo("no space left on device writing run " + id + "'s log");
    assertThat(java.nio.file.Files.readAllBytes(file)).isEqualTo(before);
    assertThat(events(id)).isEqualTo(2);
    assertThat(fx.get("/api/runs/" + id + "/events.ndjson").body().split("\n")).hasSize(2);

    disk.free();
    Response retried =
        fx.request(HttpMethod.POST, "/api/runs/" + id + "/events", batch.toString(), NDJSON);
    assertThat(retried.status()).as(retried.body()).isEqualTo(200);
    assertThat(retried.json().get("nextSeq").asLong()).isEqualTo(102);
    fx.close();
    fx = ServerFixture.start(disk.dir());
    List<JsonNode> stored = new ArrayList<>();
    for (String line : fx.get("/api/runs/" + id + "/events.ndjson").body().split("\n")) {
      stored.add(MAPPER.readTree(line));
    }
    assertThat(stored).hasSize(103); // run-started, 101 epochs, status interrupted
    for (int seq = 0; seq < stored.size(); seq++) {
      assertThat(stored.get(seq).get("seq").asLong()).isEqualTo(seq);
    }
    assertThat(stored.get(101).get("epoch").asInt()).isEqualTo(101);
  }

  /**
   * The client of a push hangs up while the server is inside the log's write (the test holds the
   * log so that the write waits for it): the server cancels the handler, which must not interrupt
   * the write. The push is stored, and the run takes more pushes.
   */
  @Test
  void aPushWhoseClientHangsUpMidWriteIsStoredAndTheRunTakesMorePushes() throws Exception {
    Assumptions.assumeTrue(
        java.nio.file.Files.isReadable(Path.of("/proc/net/tcp")),
        "needs /proc/net/tcp to see the server close the connection");
    fx = ServerFixture.start(data);
    String id = createExternal("{\"external\": true}");
    RunLog log = (RunLog) fx.server.runs().find(id).orElseThrow().log();
    synchronized (log) {
      try (java.net.Socket client = new java.net.Socket("127.0.0.1", fx.server.port())) {
        String body = epoch(1, 0.5);
        client
            .getOutputStream()
            .write(
                ("POST /api/runs/"
                        + id
                        + "/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Type: application/json\r\nContent-Length: "
                        + body.length()
                        + "\r\n\r\n"
                        + body)
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        awaitThread(
            t -> t.getName().startsWith("trainscope-disk") && t.getState() == Thread.State.BLOCKED);
        int clientPort = client.getLocalPort();
        client.close();
        awaitServerClosed(fx.server.port(), clientPort);
      }
    }
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (log.size() < 2) {
      assertThat(System.nanoTime()).as("the push is stored").isLessThan(deadline);
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
    Response next = fx.post("/api/runs/" + id + "/events", epoch(2, 0.4));
    assertThat(next.status()).as(next.body()).isEqualTo(200);
    assertThat(fx.get("/api/runs/" + id + "/events.ndjson").body().split("\n"))
        .extracting(line -> MAPPER.readTree(line).path("epoch").asInt())
        .containsExactly(0, 1, 2);
  }

  private static void awaitThread(java.util.function.Predicate<Thread> condition) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (Thread.getAllStackTraces().keySet().stream().noneMatch(condition)) {
      assertThat(System.nanoTime()).as("thread state").isLessThan(deadline);
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
  }

  /** Until the server's end of the connection is neither established nor waiting to close. */
  private static void awaitServerClosed(int serverPort, int clientPort) throws Exception {
    String local = String.format(":%04X", serverPort);
    String remote = String.format(":%04X", clientPort);
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (java.nio.file.Files.readAllLines(Path.of("/proc/net/tcp")).stream()
        .map(l -> l.trim().split("\\s+"))
        .anyMatch(
            f ->
                f.length > 3
                    && f[1].endsWith(local)
                    && f[2].endsWith(remote)
                    && (f[3].equals("01") || f[3].equals("08")))) {
      assertThat(System.nanoTime()).as("server closed the connection").isLessThan(deadline);
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
  }
}
