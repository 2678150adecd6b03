package dev.trainscope.server;

import static dev.trainscope.server.ServerFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.server.ServerFixture.Sse;
import dev.trainscope.server.json.EventCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class TrainscopeServerTest {
  private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
      new com.fasterxml.jackson.databind.ObjectMapper();

  @TempDir Path data;
  ServerFixture fx;

  @AfterEach
  void stop() {
    if (fx != null) fx.close();
  }

  /** Virtual time that counts the runs of the periodic tasks scheduled on it. */
  static final class CountingScheduler implements Scheduler {
    final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    final AtomicInteger periodicRuns = new AtomicInteger();

    @Override
    public Disposable schedule(Runnable task) {
      return time.schedule(task);
    }

    @Override
    public Disposable schedulePeriodically(
        Runnable task, long initialDelay, long period, TimeUnit unit) {
      Runnable counted =
          () -> {
            periodicRuns.incrementAndGet();
            task.run();
          };
      return time.schedulePeriodically(counted, initialDelay, period, unit);
    }

    @Override
    public Worker createWorker() {
      return time.createWorker();
    }
  }

  /** The sweep used to be scheduled by the routes, and nothing disposed it. */
  @Test
  void closingTheServerStopsTheKerasSessionSweep() throws Exception {
    CountingScheduler sweeps = new CountingScheduler();
    TrainscopeServer server = TrainscopeServer.start(ServerFixture.config(data), runs -> sweeps);
    try {
      sweeps.time.advanceTimeBy(Duration.ofMinutes(3));
      assertThat(sweeps.periodicRuns).as("a sweep a minute").hasValue(3);
    } finally {
      server.close();
    }

    sweeps.time.advanceTimeBy(Duration.ofHours(1));

    assertThat(sweeps.periodicRuns).hasValue(3);
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

  @Test
  void garbageMidLogKeepsTheEventsBeforeItAndMovesTheRestAsideWithAReport() throws Exception {
    String id = "20260101-000000-mid";
    List<String> lines = epochLines(id, 64);
    lines.set(23, "\u0000\u0000\u0000 not an event");
    byte[] original = writeRun(id, String.join("\n", lines) + "\n");
    int offset = (String.join("\n", lines.subList(0, 23)) + "\n").length();

    fx = ServerFixture.start(data);
    JsonNode run = fx.get("/api/runs/" + id).json();
    assertThat(run.get("state").asText()).isEqualTo("interrupted");
    assertThat(run.get("events").asLong()).isEqualTo(24);
    JsonNode recovery = run.get("recovery");
    assertThat(recovery.get("keptEvents").asLong()).isEqualTo(23);
    assertThat(recovery.get("tailOffset").asLong()).isEqualTo(offset);
    assertThat(recovery.get("tailBytes").asLong()).isEqualTo(original.length - offset);
    Path aside = data.resolve("runs").resolve(id).resolve(recovery.get("tailMovedTo").asText());
    assertThat(Files.readAllBytes(aside))
        .isEqualTo(java.util.Arrays.copyOfRange(original, offset, original.length));
    assertThat(fx.awaitFinished(id)).extracting(Sse::id).hasSize(24).endsWith("23");
  }

  @Test
  void aDuplicatedLineIsDroppedAndEveryEventServed() throws Exception {
    String id = "20260101-000000-dup";
    List<String> lines = epochLines(id, 64);
    lines.add(6, lines.get(5));
    writeRun(id, String.join("\n", lines) + "\n");

    fx = ServerFixture.start(data);
    JsonNode run = fx.get("/api/runs/" + id).json();
    assertThat(run.get("events").asLong()).isEqualTo(65);
    assertThat(run.get("lastEpoch").asInt()).isEqualTo(64);
    assertThat(run.get("recovery").get("duplicatesDropped").asInt()).isEqualTo(1);
    List<Sse> events = fx.awaitFinished(id);
    assertThat(events).hasSize(65);
    assertThat(events.subList(0, 64)).extracting(Sse::data).isEqualTo(epochLines(id, 64));
  }

  @Test
  void aLogStartingWithAByteOrderMarkIsServedWhole() throws Exception {
    String id = "20260101-000000-bom";
    writeRun(id, "\uFEFF" + String.join("\n", epochLines(id, 42)) + "\n");

    fx = ServerFixture.start(data);
    JsonNode run = fx.get("/api/runs/" + id).json();
    assertThat(run.get("events").asLong()).isEqualTo(43);
    assertThat(run.has("recovery")).isFalse();
    assertThat(fx.awaitFinished(id).subList(0, 42))
        .extracting(Sse::data)
        .isEqualTo(epochLines(id, 42));
  }

  @Test
  void aSymlinkedEventLogPointingOutsideTheDataDirectoryIsNeverWritten(@TempDir Path outside)
      throws Exception {
    String id = "20260101-000000-link";
    writeRun(id, String.join("\n", epochLines(id, 3)) + "\n{\"type\":\"ep");
    Path target = outside.resolve("precious.ndjson");
    Files.move(data.resolve("runs").resolve(id).resolve("events.ndjson"), target);
    byte[] before = Files.readAllBytes(target);
    Files.createSymbolicLink(data.resolve("runs").resolve(id).resolve("events.ndjson"), target);

    fx = ServerFixture.start(data);
    assertThat(fx.get("/api/runs/" + id).status()).isEqualTo(404);
    assertThat(fx.get("/api/runs").json()).isEmpty();
    assertThat(Files.readAllBytes(target)).isEqualTo(before);
    try (java.util.stream.Stream<Path> files = Files.list(outside)) {
      assertThat(files).containsExactly(target);
    }
  }

  @Test
  void aRunJsonCarryingAnotherRunsIdIsListedUnderItsDirectoryName() throws Exception {
    String original = "20260101-000000-orig";
    String copy = "20260101-000000-copy";
    writeRun(original, String.join("\n", epochLines(original, 2)) + "\n");
    writeRun(copy, String.join("\n", epochLines(copy, 2)) + "\n");
    Path copyMeta = data.resolve("runs").resolve(copy).resolve("run.json");
    Files.writeString(copyMeta, Files.readString(copyMeta).replace(copy, original));

    fx = ServerFixture.start(data);
    List<String> ids = new java.util.ArrayList<>();
    fx.get("/api/runs").json().forEach(r -> ids.add(r.get("id").asText()));
    assertThat(ids).containsExactlyInAnyOrder(original, copy);
    JsonNode run = fx.get("/api/runs/" + copy).json();
    assertThat(run.get("id").asText()).isEqualTo(copy);
    assertThat(run.get("events").asLong()).isEqualTo(3);
    assertThat(run.get("recovery").get("declaredId").asText()).isEqualTo(original);
  }

  @Test
  void aRestartOnAFullDiskLoadsEveryRunReadOnly() throws Exception {
    try (Tmpfs disk = Tmpfs.mount(data.resolve("disk"), "512k")) {
      String unfinished = "20260101-000000-unfinished";
      String completed = "20260101-000000-completed";
      writeRun(disk.dir(), unfinished, String.join("\n", epochLines(unfinished, 20)) + "\n{\"ty");
      // Completed, but the crash came before run.json recorded it.
      TrainingEvent done =
          new TrainingEvent.RunCompleted(
              completed, 5, 99, 5, 0.1, 0.9, null, null, null, "training", null, 10, false);
      writeRun(
          disk.dir(),
          completed,
          String.join("\n", epochLines(completed, 5))
              + "\n"
              + new EventCodec().encode(done)
              + "\n");
      disk.fill();

      fx = ServerFixture.start(disk.dir());
      try {
        JsonNode a = fx.get("/api/runs/" + unfinished).json();
        assertThat(a.get("state").asText()).isEqualTo("interrupted");
        assertThat(a.get("readOnly").asBoolean()).isTrue();
        assertThat(a.get("recovery").get("readOnlyReason").asText()).isNotBlank();
        assertThat(fx.awaitFinished(unfinished).subList(0, 20))
            .extracting(Sse::data)
            .isEqualTo(epochLines(unfinished, 20));
        JsonNode b = fx.get("/api/runs/" + completed).json();
        assertThat(b.get("state").asText()).isEqualTo("completed");
        assertThat(b.get("readOnly").asBoolean()).isTrue();
        assertThat(fx.awaitFinished(completed)).hasSize(6);
        assertThat(fx.get("/api/runs").json()).hasSize(2);
      } finally {
        fx.close();
        fx = null;
      }
    }
  }

  /** The JSON lines of {@code epochs} epoch events of a run, seq 0, 1, 2, ... */
  private static List<String> epochLines(String runId, int epochs) {
    EventCodec codec = new EventCodec();
    List<String> lines = new java.util.ArrayList<>();
    for (int e = 1; e <= epochs; e++) {
      lines.add(
          codec.encode(
              new TrainingEvent.Epoch(
                  runId, e - 1, 10 + e, e, 99, 1.0 / e, 0.5, null, null, 0.1, 1, Map.of())));
    }
    return lines;
  }

  private byte[] writeRun(String id, String log) throws Exception {
    return writeRun(data, id, log);
  }

  /** A run as a killed server leaves it: run.json says running; {@code log} as events.ndjson. */
  private static byte[] writeRun(Path data, String id, String log) throws Exception {
    Path dir = Files.createDirectories(data.resolve("runs").resolve(id));
    Files.writeString(
        dir.resolve("run.json"),
        "{\"id\":\"" + id + "\",\"state\":\"running\",\"createdAt\":5,\"config\":{\"epochs\":99}}");
    byte[] bytes = log.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Files.write(dir.resolve("events.ndjson"), bytes);
    return bytes;
  }

  /**
   * Browsers' fetch, requests.Session and the JDK client reuse one connection: every request on it
   * must be read and answered, whatever ran on it before (runs started and finishing meanwhile,
   * pushes, static files, streams opened to their end).
   */
  @Test
  void oneKeepAliveConnectionAnswersEveryRequestOfAMixedSession() throws Exception {
    fx = ServerFixture.start(data);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String base = "http://127.0.0.1:" + fx.server.port();
    for (int i = 0; i < 150; i++) {
      String run = send(client, "POST", base + "/api/runs", "{\"epochs\":3,\"seed\":" + i + "}");
      String id = MAPPER.readTree(run).get("id").asText();
      send(client, "GET", base + "/api/runs/" + id, null);
      send(client, "GET", base + "/api/runs", null);
      switch (i % 5) {
        case 0 -> send(client, "POST", base + "/api/runs/" + id + "/stop", "");
        case 1 -> send(client, "GET", base + "/api/runs/" + id + "/events", null);
        case 2 -> send(client, "GET", base + "/js/app.js", null);
        case 3 -> {
          String ext = send(client, "POST", base + "/api/runs", "{\"external\":true}");
          String uri = base + "/api/runs/" + MAPPER.readTree(ext).get("id").asText();
          send(client, "POST", uri + "/events", "{\"type\":\"epoch\",\"epoch\":1,\"loss\":0.5}");
          send(client, "POST", uri + "/finish", "");
        }
        default -> send(client, "GET", base + "/api/runs/" + id + "/events.ndjson", null);
      }
    }
  }

  /**
   * One request with a deadline; the body, or a failure naming the request that went unanswered.
   */
  private static String send(HttpClient client, String method, String uri, String body)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(uri))
            .timeout(Duration.ofSeconds(5))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json")
            .build();
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(method + " " + uri).isBetween(200, 409);
      return response.body();
    } catch (java.net.http.HttpTimeoutException e) {
      throw new AssertionError(method + " " + uri + " went unanswered for 5 s", e);
    }
  }
}
