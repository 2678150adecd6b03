package dev.trainscope.server.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.server.Tmpfs;
import dev.trainscope.server.json.EventCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class RunStoreTest {
  private final EventCodec codec = new EventCodec();
  @TempDir Path data;
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

  @BeforeEach
  void captureLog() {
    logged.start();
    ((Logger) LoggerFactory.getLogger(RunStore.class)).addAppender(logged);
  }

  @AfterEach
  void releaseLog() {
    ((Logger) LoggerFactory.getLogger(RunStore.class)).detachAppender(logged);
  }

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
    try (LogReader reader = loaded.reader()) {
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
  void aTornLastLineIsMovedAsideNeverFatal() throws Exception {
    List<TrainingEvent> events = LogFixtures.epochs("torn", 2, false);
    String torn = "{\"type\":\"epoch\",\"runId\":\"to";
    writeByHand("torn", events, torn);
    List<TrainingEvent> seen = new ArrayList<>();
    RunLog loaded = new RunStore(data, codec).load("torn", seen::add);
    assertThat(seen.subList(0, 4)).isEqualTo(events);
    assertThat(loaded.size()).isEqualTo(5);
    List<String> lines = Files.readAllLines(data.resolve("runs/torn/events.ndjson"));
    assertThat(lines).hasSize(5);
    assertThat(codec.decode(lines.get(4)).type()).isEqualTo("status");
    assertThat(Files.readString(corruptFile("torn"))).isEqualTo(torn);
  }

  @Test
  void aGarbageLineBetweenEventsIsSkippedAndNoByteOfTheLogChanges() throws Exception {
    List<TrainingEvent> events = LogFixtures.epochs("mid", 31, true);
    List<String> lines = encode(events);
    lines.add(23, "\u0000\u0000}garbage{");
    byte[] original = writeLog("mid", String.join("\n", lines) + "\n");

    List<TrainingEvent> seen = new ArrayList<>();
    RunLog loaded = new RunStore(data, codec).load("mid", seen::add);

    assertThat(seen).isEqualTo(events);
    assertThat(loaded.finalState()).isEqualTo("completed");
    assertThat(Files.readAllBytes(data.resolve("runs/mid/events.ndjson"))).isEqualTo(original);
    assertThat(readAll(loaded)).containsExactlyElementsOf(encode(events));
    assertThat(loaded.recovery().unreadableLines()).isEqualTo(1);
    assertThat(loaded.recovery().keptEvents()).isEqualTo(events.size());
  }

  @Test
  void aDuplicatedLineIsDroppedAsADuplicateAndTheRestKept() throws Exception {
    List<TrainingEvent> events = LogFixtures.epochs("dup", 31, true);
    List<String> lines = encode(events);
    lines.add(6, lines.get(5));
    byte[] original = writeLog("dup", String.join("\n", lines) + "\n");

    List<TrainingEvent> seen = new ArrayList<>();
    RunLog loaded = new RunStore(data, codec).load("dup", seen::add);

    assertThat(seen).isEqualTo(events);
    assertThat(Files.readAllBytes(data.resolve("runs/dup/events.ndjson"))).isEqualTo(original);
    assertThat(readAll(loaded)).containsExactlyElementsOf(encode(events));
    assertThat(loaded.recovery().duplicatesDropped()).isEqualTo(1);
  }

  @Test
  void aByteOrderMarkIsSkippedNotTreatedAsCorruption() throws Exception {
    List<TrainingEvent> events = LogFixtures.epochs("bom", 20, true);
    byte[] original = writeLog("bom", "\uFEFF" + String.join("\n", encode(events)) + "\n");

    List<TrainingEvent> seen = new ArrayList<>();
    RunLog loaded = new RunStore(data, codec).load("bom", seen::add);

    assertThat(seen).isEqualTo(events);
    assertThat(readAll(loaded)).containsExactlyElementsOf(encode(events));
    assertThat(loaded.recovery()).isNull();
    assertThat(Files.readAllBytes(data.resolve("runs/bom/events.ndjson"))).isEqualTo(original);
  }

  @Test
  void anUnreadableTailIsMovedAsideBeforeTheLogIsCutBackAndTheServerLogSaysSo() throws Exception {
    List<TrainingEvent> events = LogFixtures.epochs("cut", 32, false);
    List<String> lines = encode(events);
    lines.set(23, "{\"type\":\"epoch\",\"ru\u0000\u0000\u0000garbage");
    byte[] original = writeLog("cut", String.join("\n", lines) + "\n");
    String prefix = String.join("\n", lines.subList(0, 23)) + "\n";
    int offset = prefix.length();

    List<TrainingEvent> seen = new ArrayList<>();
    RunLog loaded = new RunStore(data, codec).load("cut", seen::add);

    assertThat(seen.subList(0, 23)).isEqualTo(events.subList(0, 23));
    assertThat(seen).hasSize(24);
    assertThat(seen.get(23).type()).isEqualTo("status");
    assertThat(Files.readAllBytes(corruptFile("cut")))
        .isEqualTo(Arrays.copyOfRange(original, offset, original.length));
    assertThat(Files.readString(data.resolve("runs/cut/events.ndjson")))
        .isEqualTo(prefix + codec.encode(seen.get(23)) + "\n");
    Recovery recovery = loaded.recovery();
    assertThat(recovery.keptEvents()).isEqualTo(23);
    assertThat(recovery.tailOffset()).isEqualTo(offset);
    assertThat(recovery.tailBytes()).isEqualTo(original.length - offset);
    assertThat(recovery.tailReason()).isEqualTo("seq 24 where 23 was next");
    assertThat(recovery.tailMovedTo()).isEqualTo(corruptFile("cut").getFileName().toString());
    assertThat(warnings())
        .anySatisfy(
            w ->
                assertThat(w)
                    .contains("cut", "byte " + offset, "23 events", recovery.tailMovedTo()));
  }

  @Test
  void aSymlinkedEventLogIsRefusedAndItsTargetNeverWritten(@TempDir Path outside) throws Exception {
    writeByHand("link", LogFixtures.epochs("link", 2, false), "{\"torn");
    Path target = outside.resolve("elsewhere.ndjson");
    Files.move(data.resolve("runs/link/events.ndjson"), target);
    byte[] before = Files.readAllBytes(target);
    Files.createSymbolicLink(data.resolve("runs/link/events.ndjson"), target);

    assertThatThrownBy(() -> new RunStore(data, codec).load("link", e -> {}))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("events.ndjson is a symbolic link");
    assertThat(Files.readAllBytes(target)).isEqualTo(before);
    try (Stream<Path> files = Files.list(outside)) {
      assertThat(files).containsExactly(target);
    }
  }

  @Test
  void aSymlinkedRunDirectoryIsNotLoadedAndTheServerLogSaysWhy(@TempDir Path outside)
      throws Exception {
    writeByHand(outside, "away", LogFixtures.epochs("away", 1, false), "");
    Files.createDirectories(data.resolve("runs"));
    Files.createSymbolicLink(data.resolve("runs/away"), outside.resolve("runs/away"));
    byte[] before = Files.readAllBytes(outside.resolve("runs/away/events.ndjson"));

    assertThat(new RunStore(data, codec).loadAll((l, e) -> {})).isEmpty();
    assertThat(warnings()).anySatisfy(w -> assertThat(w).contains("away", "symbolic link"));
    assertThat(Files.readAllBytes(outside.resolve("runs/away/events.ndjson"))).isEqualTo(before);
  }

  @Test
  void theDirectoryNameIsTheRunIdWhateverRunJsonSays() throws Exception {
    writeByHand("copy", LogFixtures.epochs("copy", 1, true), "");
    Files.writeString(
        data.resolve("runs/copy/run.json"),
        "{\"id\":\"orig\",\"state\":\"completed\",\"createdAt\":1,\"config\":{}}");

    RunLog loaded = new RunStore(data, codec).load("copy", e -> {});

    assertThat(loaded.runId()).isEqualTo("copy");
    assertThat(loaded.size()).isEqualTo(3);
    assertThat(loaded.recovery().declaredId()).isEqualTo("orig");
    assertThat(warnings()).anySatisfy(w -> assertThat(w).contains("copy", "orig"));
  }

  @Test
  void onAFullDiskAnUnfinishedRunStillLoadsReadOnly() throws Exception {
    try (Tmpfs disk = Tmpfs.mount(data.resolve("disk"), "256k")) {
      Path dir = disk.dir();
      List<TrainingEvent> events = LogFixtures.epochs("full", 3, false);
      writeByHand(dir, "full", events, "{\"torn");
      byte[] before = Files.readAllBytes(dir.resolve("runs/full/events.ndjson"));
      disk.fill();

      List<TrainingEvent> seen = new ArrayList<>();
      RunLog loaded = new RunStore(dir, codec).load("full", seen::add);

      assertThat(seen.subList(0, events.size())).isEqualTo(events);
      assertThat(loaded.isReadOnly()).isTrue();
      assertThat(loaded.isFinished()).isTrue();
      assertThat(loaded.finalState()).isEqualTo("interrupted");
      assertThat(loaded.recovery().readOnlyReason()).isNotBlank();
      assertThat(readAll(loaded)).startsWith(encode(events).toArray(String[]::new));
      // The tail could not be moved aside, so the log was not cut back: it is exactly as it was.
      assertThat(Files.readAllBytes(dir.resolve("runs/full/events.ndjson"))).isEqualTo(before);
      try (Stream<Path> files = Files.list(dir.resolve("runs/full"))) {
        assertThat(files.map(f -> f.getFileName().toString()))
            .containsExactlyInAnyOrder("run.json", "events.ndjson");
      }
    }
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
    writeByHand(data, runId, events, tail);
  }

  private void writeByHand(Path data, String runId, List<TrainingEvent> events, String tail)
      throws Exception {
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

  /**
   * Writes run.json (running) and {@code log} as events.ndjson byte for byte; returns the bytes.
   */
  private byte[] writeLog(String runId, String log) throws Exception {
    writeByHand(runId, List.of(), "");
    byte[] bytes = log.getBytes(StandardCharsets.UTF_8);
    Files.write(data.resolve("runs").resolve(runId).resolve("events.ndjson"), bytes);
    return bytes;
  }

  private List<String> encode(List<TrainingEvent> events) {
    return new ArrayList<>(events.stream().map(codec::encode).toList());
  }

  /** Every event of the log as its reader serves it. */
  private static List<String> readAll(RunLog log) throws Exception {
    List<String> lines = new ArrayList<>();
    try (LogReader reader = log.reader()) {
      for (long seq = 0; seq < log.size(); seq++) lines.add(reader.read(seq).jsonString());
    }
    return lines;
  }

  /** The one file recovery moved a run's unreadable bytes to. */
  private Path corruptFile(String runId) throws Exception {
    try (Stream<Path> files = Files.list(data.resolve("runs").resolve(runId))) {
      List<Path> corrupt =
          files
              .filter(f -> f.getFileName().toString().startsWith("events.ndjson.corrupt-"))
              .toList();
      assertThat(corrupt).hasSize(1);
      return corrupt.get(0);
    }
  }

  private List<String> warnings() {
    return logged.list.stream()
        .filter(e -> e.getLevel() == Level.WARN)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }
}
