package dev.trainscope.server.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.server.json.EventCodec;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * What every {@link EventLog} promises, run against each implementation: the file log and the Kafka
 * one. {@link #create} gives a log this test writes; {@link #view} another reader's view of it (the
 * same log for a file, another instance's for Kafka); {@link #reopen} a view after the writer has
 * gone, as a restarted server sees it.
 */
public abstract class EventLogContract {
  protected static final EventCodec CODEC = new EventCodec();
  protected static final Duration TIMEOUT = Duration.ofSeconds(30);

  protected abstract EventLog create(String runId) throws IOException;

  protected abstract EventLog view(EventLog written) throws IOException;

  protected abstract EventLog reopen(EventLog written) throws IOException;

  static TrainingEvent batch(String runId, long seq) {
    return new TrainingEvent.Batch(runId, seq, 1000 + seq, 1, (int) seq + 1, 1000, 0.5 + seq);
  }

  static TrainingEvent completed(String runId, long seq) {
    return new TrainingEvent.RunCompleted(
        runId, seq, 2000, 1, 0.25, 1.0, null, null, null, null, List.of("a"), 1, false);
  }

  private static List<String> readAll(EventReader reader, long size) throws IOException {
    List<String> out = new ArrayList<>();
    for (long seq = 0; seq < size; seq++) {
      LogLine line = reader.read(seq);
      assertThat(line.seq()).isEqualTo(seq);
      out.add(line.jsonString());
    }
    return out;
  }

  private static List<String> encoded(String runId, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(CODEC.encode(batch(runId, i)));
    return out;
  }

  @Test
  void appendedEventsAreReadBackInOrderByteForByte() throws Exception {
    EventLog log = create("append");
    for (int i = 0; i < 100; i++) log.append(batch("append", i));
    assertThat(log.size()).isEqualTo(100);
    try (EventReader reader = log.reader()) {
      assertThat(readAll(reader, 100)).isEqualTo(encoded("append", 100));
      assertThat(reader.type(7)).isEqualTo(TrainingEvent.Batch.TYPE);
      assertThat(reader.type(100)).isNull();
    }
    log.close();
  }

  @Test
  void writeThroughIsStoredAndReadableWhenItReturns() throws Exception {
    EventLog log = create("through");
    List<TrainingEvent> events = new ArrayList<>();
    for (int i = 0; i < 10; i++) events.add(batch("through", i));
    List<LogLine> lines = log.writeThrough(events);
    assertThat(lines)
        .extracting(LogLine::seq)
        .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    assertThat(log.size()).isEqualTo(10);
    try (EventReader reader = log.reader()) {
      List<LogLine> recent = reader.recent(2, 5, null);
      assertThat(recent).extracting(LogLine::seq).containsExactly(2L, 3L, 4L);
      assertThat(reader.recent(0, 10, Set.of("epoch"))).isEmpty();
    }
    log.close();
  }

  @Test
  void aSeqOutOfOrderIsRefusedAndLeavesNoGap() throws Exception {
    EventLog log = create("order");
    log.append(batch("order", 0));
    assertThatThrownBy(() -> log.append(batch("order", 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("out of order");
    log.append(batch("order", 1));
    assertThat(log.size()).isEqualTo(2);
    log.close();
    EventLog again = reopen(log);
    try (EventReader reader = again.reader()) {
      assertThat(readAll(reader, 2)).isEqualTo(encoded("order", 2));
    }
  }

  @Test
  void aViewFollowsTheWriterLiveAndEndsWithItsTerminalEvent() throws Exception {
    EventLog log = create("live");
    log.append(batch("live", 0));
    EventLog view = view(log);
    StepVerifier.create(view.sizes().filter(n -> n > 0).takeUntil(n -> n == 51))
        .then(
            () -> {
              try {
                for (int i = 1; i < 50; i++) log.write(batch("live", i));
                log.publish();
                log.append(completed("live", 50));
              } catch (IOException e) {
                throw new AssertionError(e);
              }
            })
        .thenConsumeWhile(n -> n < 51)
        .expectNext(51L)
        .expectComplete()
        .verify(TIMEOUT);
    List<String> expected = new ArrayList<>(encoded("live", 50));
    expected.add(CODEC.encode(completed("live", 50)));
    try (EventReader reader = view.reader()) {
      assertThat(readAll(reader, 51)).isEqualTo(expected);
    }
    assertThat(view.isFinished()).isTrue();
    assertThat(view.finalState()).isEqualTo(RunStates.COMPLETED);
    log.close();
  }

  @Test
  void sizesCompleteWhenTheLogCloses() throws Exception {
    EventLog log = create("sizes");
    log.append(batch("sizes", 0));
    StepVerifier.create(log.sizes())
        .expectNext(1L)
        .then(
            () -> {
              try {
                log.append(batch("sizes", 1));
                log.close(RunStates.INTERRUPTED);
              } catch (IOException e) {
                throw new AssertionError(e);
              }
            })
        .expectNext(2L)
        // A log that other instances read writes the interrupted status itself when it closes.
        .thenConsumeWhile(n -> n == 3 && log.size() == 3)
        .expectComplete()
        .verify(TIMEOUT);
    assertThat(log.isFinished()).isTrue();
    assertThat(log.finalState()).isEqualTo(RunStates.INTERRUPTED);
  }

  @Test
  void concurrentReadersEachReadEveryEventWhileItIsWritten() throws Exception {
    EventLog log = create("readers");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<String>>> readers = new ArrayList<>();
      for (int r = 0; r < 4; r++) {
        Callable<List<String>> read =
            () -> {
              long last = log.sizes().filter(n -> n == 300).blockFirst(TIMEOUT);
              try (EventReader reader = log.reader()) {
                return readAll(reader, last);
              }
            };
        readers.add(pool.submit(read));
      }
      for (int i = 0; i < 300; i++) {
        log.write(batch("readers", i));
        if (i % 37 == 0) log.publish();
      }
      log.publish();
      for (Future<List<String>> f : readers) {
        assertThat(f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(encoded("readers", 300));
      }
    } finally {
      pool.shutdownNow();
      log.close();
    }
  }

  @Test
  void aReopenedLogHoldsEverythingTheWriterStored() throws Exception {
    EventLog log = create("reopen");
    for (int i = 0; i < 20; i++) log.write(batch("reopen", i));
    log.append(completed("reopen", 20));
    log.close();
    EventLog again = reopen(log);
    assertThat(again.size()).isEqualTo(21);
    assertThat(again.isFinished()).isTrue();
    assertThat(again.finalState()).isEqualTo(RunStates.COMPLETED);
    try (EventReader reader = again.reader()) {
      assertThat(readAll(reader, 20)).isEqualTo(encoded("reopen", 20));
    }
  }
}
