package dev.trainscope.server.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.server.json.EventCodec;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriterPoolTest {
  private final EventCodec codec = new EventCodec();
  @TempDir Path data;

  private static TrainingEvent insight(String run, long seq) {
    return new TrainingEvent.Insight(run, seq, 1000 + seq, 1, "info", "note", "n" + seq, null);
  }

  private static TrainingEvent started(String run) {
    return new TrainingEvent.RunStarted(
        run, 0, 1000, null, new TrainingEvent.ModelInfo(0, List.of(), 0, null), null);
  }

  @Test
  void twoHundredUnfinishedLogsHoldAtMostTheDefaultNumberOfOpenFiles() throws Exception {
    assumeTrue(OpenFiles.supported(), "needs /proc/self/fd");
    RunStore store = new RunStore(data, codec);
    List<RunLog> logs = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      RunLog log = store.createExternal(String.format("run-%03d", i), "external");
      log.append(started(log.runId()));
      logs.add(log);
    }

    assertThat(OpenFiles.under(data)).isLessThanOrEqualTo(WriterPool.DEFAULT_MAX);
    for (RunLog log : logs) log.close();
    assertThat(OpenFiles.under(data)).isZero();
  }

  @Test
  void logsWrittenInTurnBeyondTheCapReopenAndLoseNothing() throws Exception {
    RunStore store = new RunStore(data, codec, System::currentTimeMillis, 3);
    List<RunLog> logs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      RunLog log = store.createExternal(String.format("run-%03d", i), "external");
      log.append(started(log.runId()));
      logs.add(log);
    }
    for (int seq = 1; seq <= 5; seq++) {
      for (RunLog log : logs) log.append(insight(log.runId(), seq));
      assertThat(store.openWriters()).isLessThanOrEqualTo(3);
    }

    for (RunLog log : logs) {
      try (LogReader reader = log.reader()) {
        for (long seq = 1; seq <= 5; seq++) {
          assertThat(reader.read(seq).jsonString())
              .isEqualTo(codec.encode(insight(log.runId(), seq)));
        }
      }
      log.close();
      Path file = log.directory().resolve(RunStore.EVENTS_FILE);
      assertThat(Files.readAllLines(file)).hasSize(6);
    }
    assertThat(store.openWriters()).isZero();
  }

  @Test
  void underUlimit256ThreeHundredUnfinishedExternalRunsStayPushableAndHealthKeepsAnswering()
      throws Exception {
    assumeTrue(ChildServer.supported(), "needs bash for ulimit");
    try (ChildServer child = new ChildServer(256, data, List.of("--max-open-logs", "32"))) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        var created = child.post("/api/runs", "{\"external\": true, \"name\": \"r" + i + "\"}");
        assertThat(created.statusCode()).as("create run %d: %s", i, created.body()).isEqualTo(201);
        String id = created.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
        var pushed = child.post("/api/runs/" + id + "/events", "{\"type\":\"epoch\",\"epoch\":1}");
        assertThat(pushed.statusCode()).as("push to run %d: %s", i, pushed.body()).isEqualTo(200);
        ids.add(id);
      }
      assertThat(child.getOnNewConnection("/health").statusCode()).isEqualTo(200);
      for (String id : ids) {
        assertThat(
                child
                    .post("/api/runs/" + id + "/events", "{\"type\":\"epoch\",\"epoch\":2}")
                    .statusCode())
            .isEqualTo(200);
        assertThat(child.get("/api/runs/" + id + "/events.ndjson").body().lines()).hasSize(3);
      }
    }
  }

  @Test
  void runningOutOfDescriptorsAnswers503AndTheServerServesAgainOnceTheyAreFree() throws Exception {
    assumeTrue(ChildServer.supported(), "needs bash for ulimit");
    try (ChildServer child = new ChildServer(256, data, List.of("--max-open-logs", "32"));
        RawConnection kept = new RawConnection(child.url)) {
      // Loads the classes of these paths first: from a class directory, as here, loading a
      // class takes a descriptor (the product's jar is opened once).
      assertThat(kept.send("GET", "/health", "").status()).isEqualTo(200);
      assertThat(kept.send("POST", "/api/runs", "{\"external\": true}").status()).isEqualTo(201);
      assertThat(kept.send("POST", "/api/runs", "{").status()).isEqualTo(400);
      assertThat(kept.send("GET", "/api/runs/none", "").status()).isEqualTo(404);
      List<Socket> flood = new ArrayList<>();
      try {
        for (int i = 0; i < 400; i++) flood.add(new Socket("127.0.0.1", kept.port));
        long deadline = System.nanoTime() + ChildServer.TIMEOUT.toNanos();
        RawConnection.Reply reply;
        do {
          try {
            reply = kept.send("POST", "/api/runs", "{\"external\": true}");
          } catch (java.io.IOException e) {
            throw new AssertionError("child said:\n" + child.output(), e);
          }
          assertThat(System.nanoTime()).as("a create ran out of descriptors").isLessThan(deadline);
        } while (reply.status() == 201);
        assertThat(reply.status()).as(reply.body()).isEqualTo(503);
        assertThat(reply.body()).contains("\"error\":").contains("Too many open files");
      } finally {
        for (Socket s : flood) s.close();
      }
      long deadline = System.nanoTime() + ChildServer.TIMEOUT.toNanos();
      while (true) {
        try {
          if (child.getOnNewConnection("/health").statusCode() == 200) break;
        } catch (java.io.IOException e) {
          // not accepted yet: the server pauses accepting for a second after EMFILE
        }
        assertThat(System.nanoTime()).as("/health answers again").isLessThan(deadline);
      }
      assertThat(child.post("/api/runs", "{\"external\": true}").statusCode()).isEqualTo(201);
    }
  }
}
