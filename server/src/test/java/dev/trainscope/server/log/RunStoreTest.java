package dev.trainscope.server.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.server.json.EventCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunStoreTest {
  private final EventCodec codec = new EventCodec();
  @TempDir Path data;

  @Test
  void createWritesRunJsonAndAnEmptyEventLog() throws Exception {
    RunStore store = new RunStore(data, codec);
    TrainingConfig config = codec.decodeConfig("{\"epochs\":5}".getBytes(StandardCharsets.UTF_8));
    try (RunLog log = store.create("abc", config)) {
      RunMeta meta = store.readMeta(data.resolve("runs/abc"));
      assertThat(meta.state()).isEqualTo("running");
      assertThat(meta.config()).isEqualTo(config);
      assertThat(Files.size(data.resolve("runs/abc/events.ndjson"))).isZero();
    }
  }

  @Test
  void loadServesAFinishedRunAsWritten() throws Exception {
    RunStore store = new RunStore(data, codec);
    List<TrainingEvent> events = LogFixtures.epochs("done", 3, true);
    try (RunLog log = store.create("done", TrainingConfig.defaults())) {
      for (TrainingEvent e : events) log.append(e);
    }
    List<TrainingEvent> seen = new ArrayList<>();
    RunLog loaded = new RunStore(data, codec).load("done", seen::add);
    assertThat(seen).isEqualTo(events);
    assertThat(loaded.size()).isEqualTo(events.size());
    assertThat(loaded.finalState()).isEqualTo("completed");
    try (RunLog.Reader reader = loaded.reader()) {
      assertThat(reader.read(6).jsonString()).isEqualTo(codec.encode(events.get(6)));
    }
  }

  @Test
  void unfinishedRunComesBackInterruptedWithAFinalStatusEvent() throws Exception {
    writeByHand("crashed", LogFixtures.epochs("crashed", 2, false), "");
    List<TrainingEvent> seen = new ArrayList<>();
    RunStore store = new RunStore(data, codec);
    RunLog loaded = store.load("crashed", seen::add);

    assertThat(seen).hasSize(5);
    assertThat(seen.get(4))
        .isEqualTo(new TrainingEvent.Status("crashed", 4, seen.get(4).time(), "interrupted", 2));
    assertThat(loaded.finalState()).isEqualTo("interrupted");
    assertThat(store.readMeta(data.resolve("runs/crashed")).state()).isEqualTo("interrupted");
    List<String> lines = Files.readAllLines(data.resolve("runs/crashed/events.ndjson"));
    assertThat(lines).hasSize(5);
    assertThat(codec.decode(lines.get(4))).isEqualTo(seen.get(4));
    // Loading again finds it finished and changes nothing.
    new RunStore(data, codec).load("crashed", e -> {});
    assertThat(Files.readAllLines(data.resolve("runs/crashed/events.ndjson"))).isEqualTo(lines);
  }

  @Test
  void tornLastLineIsDroppedNeverFatal() throws Exception {
    List<TrainingEvent> events = LogFixtures.epochs("torn", 2, false);
    writeByHand("torn", events, "{\"type\":\"epoch\",\"runId\":\"to");
    List<TrainingEvent> seen = new ArrayList<>();
    RunLog loaded = new RunStore(data, codec).load("torn", seen::add);
    assertThat(seen.subList(0, 4)).isEqualTo(events);
    assertThat(loaded.size()).isEqualTo(5);
    List<String> lines = Files.readAllLines(data.resolve("runs/torn/events.ndjson"));
    assertThat(lines).hasSize(5);
    assertThat(codec.decode(lines.get(4)).type()).isEqualTo("status");
  }

  @Test
  void loadAllSkipsUnreadableRuns() throws Exception {
    writeByHand("good", LogFixtures.epochs("good", 1, true), "");
    Files.createDirectories(data.resolve("runs/bad"));
    Files.writeString(data.resolve("runs/bad/run.json"), "{not json");
    List<RunLog> logs = new RunStore(data, codec).loadAll((l, e) -> {});
    assertThat(logs).extracting(RunLog::runId).containsExactly("good");
  }

  /** A log as a process killed with -9 leaves it: run.json says running, no terminal event. */
  private void writeByHand(String runId, List<TrainingEvent> events, String tail) throws Exception {
    Path dir = Files.createDirectories(data.resolve("runs").resolve(runId));
    Files.writeString(
        dir.resolve("run.json"),
        "{\"id\":\""
            + runId
            + "\",\"state\":\"running\",\"createdAt\":1,\"config\":{\"epochs\":2}}");
    StringBuilder sb = new StringBuilder();
    for (TrainingEvent e : events) sb.append(codec.encode(e)).append('\n');
    sb.append(tail);
    Files.writeString(dir.resolve("events.ndjson"), sb, StandardOpenOption.CREATE);
  }
}
