package dev.trainscope.server.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.server.json.EventCodec;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

class RunLogTest {
  private final EventCodec codec = new EventCodec();
  @TempDir Path data;

  @Test
  void appendWritesOneJsonLinePerEventFlushedAtEpochBoundaries() throws Exception {
    RunStore store = new RunStore(data, codec);
    RunLog log = store.create("r1", TrainingConfig.defaults());
    Path file = data.resolve("runs/r1/events.ndjson");
    List<TrainingEvent> events = LogFixtures.epochs("r1", 2, true);

    log.append(events.get(0)); // epoch: flushed to the OS
    assertThat(Files.readAllLines(file)).containsExactly(codec.encode(events.get(0)));
    log.append(events.get(1)); // insight: may stay buffered, but is readable
    try (LogReader reader = log.reader()) {
      assertThat(reader.read(1).jsonString()).isEqualTo(codec.encode(events.get(1)));
      assertThat(reader.type(1)).isEqualTo("insight");
    }
    for (TrainingEvent e : events.subList(2, events.size())) log.append(e);
    log.close();

    assertThat(Files.readAllLines(file))
        .containsExactlyElementsOf(events.stream().map(codec::encode).toList());
    assertThat(store.readMeta(data.resolve("runs/r1")).state()).isEqualTo("completed");
  }

  @Test
  void readersHoldNoFileBetweenReads() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(OpenFiles.supported(), "needs /proc/self/fd");
    RunLog log = new RunStore(data, codec).create("r9", TrainingConfig.defaults());
    for (TrainingEvent e : LogFixtures.epochs("r9", 3, true)) log.append(e);
    log.close();
    List<LogReader> readers = new java.util.ArrayList<>();
    for (int i = 0; i < 50; i++) {
      LogReader reader = log.reader();
      assertThat(reader.read(2).seq()).isEqualTo(2);
      readers.add(reader);
    }

    assertThat(OpenFiles.under(data)).isZero();
    for (LogReader reader : readers) reader.close();
  }

  @Test
  void readerReadsEveryEventInOrderWhetherFlushedOrBuffered() throws Exception {
    RunLog log = new RunStore(data, codec).create("r2", TrainingConfig.defaults());
    List<TrainingEvent> events = LogFixtures.epochs("r2", 3, false);
    for (TrainingEvent e : events) log.append(e);
    try (LogReader reader = log.reader()) {
      for (TrainingEvent e : events) {
        LogLine line = reader.read(e.seq());
        assertThat(line.seq()).isEqualTo(e.seq());
        assertThat(line.type()).isEqualTo(e.type());
        assertThat(line.jsonString()).isEqualTo(codec.encode(e));
      }
    }
  }

  @Test
  void readerReadsAcrossBlockBoundariesAndEventsLargerThanABlock() throws Exception {
    RunLog log = new RunStore(data, codec).create("r5", TrainingConfig.defaults());
    List<TrainingEvent> events = new java.util.ArrayList<>(LogFixtures.epochs("r5", 1500, false));
    String big = "x".repeat(3 * LogReader.BLOCK);
    events.add(new TrainingEvent.Insight("r5", events.size(), 1, 1500, "info", "big", big, null));
    events.add(new TrainingEvent.Insight("r5", events.size(), 1, 1500, "info", "after", "y", null));
    for (TrainingEvent e : events) log.append(e);
    log.close();

    try (LogReader reader = log.reader()) {
      for (TrainingEvent e : events) {
        assertThat(reader.read(e.seq()).jsonString()).isEqualTo(codec.encode(e));
      }
      // Backwards too: a reader resuming earlier must not be served from a stale block.
      for (int i = events.size() - 1; i >= 0; i -= 97) {
        assertThat(reader.read(i).jsonString()).isEqualTo(codec.encode(events.get(i)));
      }
    }
  }

  @Test
  void writtenEventsReachReadersOnlyWhenPublishedOncePerBurst() throws Exception {
    RunLog log = new RunStore(data, codec).create("r6", TrainingConfig.defaults());
    List<TrainingEvent> events = LogFixtures.epochs("r6", 2, true);
    StepVerifier.create(log.sizes())
        .then(() -> write(log, events.subList(0, 3))) // written, not published: nobody wakes
        .then(log::publish)
        .expectNext(3L) // one wake-up for the three (had write woken readers, 1 came first)
        .then(log::publish) // nothing new: no wake-up
        .then(() -> write(log, events.subList(3, events.size())))
        .then(log::publish)
        .expectNext((long) events.size())
        .then(() -> close(log))
        .expectComplete()
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void recentLinesAreServedFromMemoryUntilTheRingMovesOn() throws Exception {
    RunLog log = new RunStore(data, codec).create("r7", TrainingConfig.defaults());
    List<TrainingEvent> events = LogFixtures.epochs("r7", RunLog.RECENT, false);
    for (TrainingEvent e : events) log.append(e);
    try (LogReader reader = log.reader()) {
      int n = events.size();
      List<LogLine> tail = reader.recent(n - 3, n, null);
      assertThat(tail).extracting(LogLine::seq).containsExactly(n - 3L, n - 2L, n - 1L);
      assertThat(tail.get(0)).isSameAs(reader.read(n - 3)); // shared, not a copy
      assertThat(reader.recent(n - 3, n, java.util.Set.of("insight")))
          .allMatch(l -> l.type().equals("insight"));
      assertThat(reader.recent(0, 3, null)).as("overwritten by newer lines").isNull();
      assertThat(reader.recent(n - 1, n + 1, null)).as("not written yet").isNull();
    }
  }

  private static void write(RunLog log, List<TrainingEvent> events) {
    try {
      for (TrainingEvent e : events) log.write(e);
    } catch (Exception ex) {
      throw new AssertionError(ex);
    }
  }

  @Test
  void liveReadersShareRecentLinesAndTheirSseFrame() throws Exception {
    RunLog log = new RunStore(data, codec).create("r7", TrainingConfig.defaults());
    List<TrainingEvent> events = LogFixtures.epochs("r7", 3, false);
    for (TrainingEvent e : events) log.append(e);
    try (LogReader a = log.reader();
        LogReader b = log.reader()) {
      LogLine first = a.read(2);
      assertThat(b.read(2)).isSameAs(first);
      assertThat(new String(first.sseFrame(), java.nio.charset.StandardCharsets.UTF_8))
          .isEqualTo("id: 2\nevent: epoch\ndata: " + codec.encode(events.get(2)) + "\n\n");
      assertThat(b.read(2).sseFrame()).isSameAs(first.sseFrame());
    }
    log.close();
    try (LogReader c = log.reader()) {
      // Once finished, lines come from the file again, equal but not shared.
      assertThat(c.read(2).jsonString()).isEqualTo(codec.encode(events.get(2)));
    }
  }

  @Test
  void sizeStateAndMetaAreReadableWhileTheWriterHoldsTheLog() throws Exception {
    RunLog log = new RunStore(data, codec).create("r8", TrainingConfig.defaults());
    log.append(LogFixtures.epochs("r8", 1, false).get(0));
    // HTTP handlers read these on event-loop threads; a writer holding the log (say, during a
    // slow write) must not make them wait.
    synchronized (log) {
      java.util.concurrent.CompletableFuture<String> read =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> log.size() + " " + log.isFinished() + " " + log.meta().id());
      assertThat(read.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("1 false r8");
    }
  }

  @Test
  void appendRejectsOutOfOrderSeq() throws Exception {
    RunLog log = new RunStore(data, codec).create("r3", TrainingConfig.defaults());
    TrainingEvent second = LogFixtures.epochs("r3", 2, false).get(1);
    assertThatThrownBy(() -> log.append(second)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sizesSignalsGrowthAndCompletesOnClose() throws Exception {
    RunLog log = new RunStore(data, codec).create("r4", TrainingConfig.defaults());
    List<TrainingEvent> events = LogFixtures.epochs("r4", 1, true);
    StepVerifier.create(log.sizes())
        .then(() -> append(log, events.get(0)))
        .expectNext(1L)
        .then(() -> append(log, events.get(1)))
        .expectNext(2L)
        .then(() -> append(log, events.get(2)))
        .expectNext(3L)
        .then(() -> close(log)) // nothing new: completes without repeating the size
        .expectComplete()
        .verify(Duration.ofSeconds(5));
    StepVerifier.create(log.sizes()).expectNext(3L).expectComplete().verify(Duration.ofSeconds(5));
  }

  @Test
  void closeWithoutTerminalEventRecordsInterrupted() throws Exception {
    RunStore store = new RunStore(data, codec);
    RunLog log = store.create("r5", TrainingConfig.defaults());
    log.append(LogFixtures.epochs("r5", 1, false).get(0));
    log.close();
    log.close(); // idempotent
    assertThat(store.readMeta(data.resolve("runs/r5")).state()).isEqualTo("interrupted");
  }

  private static void append(RunLog log, TrainingEvent e) {
    try {
      log.append(e);
    } catch (Exception ex) {
      throw new AssertionError(ex);
    }
  }

  private static void close(RunLog log) {
    try {
      log.close();
    } catch (Exception ex) {
      throw new AssertionError(ex);
    }
  }

  private FailingChannel channel;

  /** A log whose writer runs out of space when told ({@link FailingChannel#spaceLeft}). */
  private RunLog logOnSmallDisk(RunStore store, String id) throws Exception {
    RunLog created = store.create(id, TrainingConfig.defaults());
    created.close();
    Path dir = data.resolve("runs").resolve(id);
    channel =
        new FailingChannel(
            FileChannel.open(
                dir.resolve(RunStore.EVENTS_FILE),
                StandardOpenOption.WRITE,
                StandardOpenOption.APPEND));
    return new RunLog(
        store, dir, created.meta().withState("running", null), channel, System::currentTimeMillis);
  }

  @Test
  void readersGetEventsThatAreWithTheOsWhileTheirFsyncIsStillRunning() throws Exception {
    RunLog log = logOnSmallDisk(new RunStore(data, codec), "s1");
    List<TrainingEvent> events = LogFixtures.epochs("s1", 2, true);
    for (TrainingEvent e : events.subList(0, events.size() - 1)) log.write(e);
    java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
    channel.pauseNextForce(entered, gate);
    // The terminal event is fsynced before the write returns; the disk is slow.
    Thread writer =
        new Thread(
            () -> {
              try {
                log.write(events.get(events.size() - 1));
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    writer.start();
    try {
      assertThat(entered.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(log.sizes().filter(n -> n == events.size()).blockFirst(Duration.ofSeconds(5)))
          .as("published while the fsync runs")
          .isEqualTo(events.size());
    } finally {
      gate.countDown();
      writer.join(10_000);
    }
  }

  @Test
  void aWriteThroughThatRunsOutOfSpaceStoresNothingAndLeavesTheFileAsItWas() throws Exception {
    RunLog log = logOnSmallDisk(new RunStore(data, codec), "f1");
    Path file = data.resolve("runs/f1/events.ndjson");
    List<TrainingEvent> events = LogFixtures.epochs("f1", 3, false);
    log.writeThrough(events.subList(0, 2));
    byte[] before = Files.readAllBytes(file);

    channel.spaceLeft(30); // part of the next batch fits, the rest does not
    assertThatThrownBy(() -> log.writeThrough(events.subList(2, 6)))
        .isInstanceOf(java.io.IOException.class)
        .hasMessage("no space left on device writing run f1's log");
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
    assertThat(log.size()).isEqualTo(2);

    channel.spaceLeft(Long.MAX_VALUE);
    log.writeThrough(events.subList(2, 6)); // the same seqs, now that there is room
    assertThat(Files.readAllLines(file))
        .containsExactlyElementsOf(events.stream().map(codec::encode).toList());
    try (LogReader reader = log.reader()) {
      assertThat(reader.read(5).jsonString()).isEqualTo(codec.encode(events.get(5)));
    }
  }

  @Test
  void aTrainingFlushThatRunsOutOfSpaceIsNotWrittenTwiceOnceSpaceReturns() throws Exception {
    RunLog log = logOnSmallDisk(new RunStore(data, codec), "f2");
    Path file = data.resolve("runs/f2/events.ndjson");
    List<TrainingEvent> events = LogFixtures.epochs("f2", 3, false);
    log.write(events.get(0)); // epoch: flushed
    log.write(events.get(1)); // insight: buffered

    channel.spaceLeft(10); // the flush at the next epoch is cut short
    assertThatThrownBy(() -> log.write(events.get(2)))
        .hasMessage("no space left on device writing run f2's log");
    assertThat(Files.readAllLines(file)).containsExactly(codec.encode(events.get(0)));
    assertThat(log.size())
        .as("the buffered insight stays, the failed epoch is not stored")
        .isEqualTo(2);

    channel.spaceLeft(Long.MAX_VALUE);
    for (TrainingEvent e : events.subList(2, events.size())) log.write(e);
    log.flush();
    assertThat(Files.readAllLines(file))
        .containsExactlyElementsOf(events.stream().map(codec::encode).toList());
  }

  @Test
  void closingALogThatCannotBeWrittenEndsItsReadersAndRecordsTheGivenState() throws Exception {
    RunStore store = new RunStore(data, codec);
    RunLog log = logOnSmallDisk(store, "f3");
    List<TrainingEvent> events = LogFixtures.epochs("f3", 1, false);
    log.write(events.get(0));
    log.write(events.get(1)); // buffered
    log.publish();
    channel.spaceLeft(0);

    StepVerifier.create(log.sizes())
        .expectNext(2L)
        .then(
            () ->
                assertThatThrownBy(() -> log.close(RunStates.FAILED))
                    .hasMessageContaining("no space left on device"))
        .expectComplete()
        .verify(Duration.ofSeconds(5));
    assertThat(log.isFinished()).isTrue();
    assertThat(store.readMeta(data.resolve("runs/f3")).state()).isEqualTo("failed");
    assertThat(Files.readAllLines(data.resolve("runs/f3/events.ndjson")))
        .containsExactly(codec.encode(events.get(0)));
    try (LogReader reader = log.reader()) {
      assertThat(reader.read(1).jsonString())
          .as("still readable")
          .isEqualTo(codec.encode(events.get(1)));
    }
  }

  @Test
  void aWriteInProgressIsNotCountedUntilItIsStored() throws Exception {
    RunLog log = logOnSmallDisk(new RunStore(data, codec), "f4");
    List<TrainingEvent> events = LogFixtures.epochs("f4", 2, false);
    log.writeThrough(events.subList(0, 1));
    java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
    channel.pauseNextWrite(entered, gate);
    channel.spaceLeft(0);
    java.util.concurrent.CompletableFuture<Void> push =
        java.util.concurrent.CompletableFuture.runAsync(
            () -> {
              try {
                log.writeThrough(events.subList(1, 3));
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    assertThat(entered.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    // A reader that took the size now would wait for events that may never be stored.
    assertThat(log.size()).isEqualTo(1);
    gate.countDown();
    assertThatThrownBy(() -> push.get(10, java.util.concurrent.TimeUnit.SECONDS))
        .hasRootCauseMessage("No space left on device");
    assertThat(log.size()).isEqualTo(1);
  }
}
