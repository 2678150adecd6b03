package dev.trainscope.server.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.server.json.EventCodec;
import dev.trainscope.server.log.LogLine;
import dev.trainscope.server.log.RunLog;
import dev.trainscope.server.log.RunStates;
import dev.trainscope.server.log.RunStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

class RunManagerTest {
  @TempDir Path data;

  @Test
  void closingWhileRunsFinishRecordsAFinalStateForEachOfThem() throws Exception {
    RunStore store = new RunStore(data, new EventCodec());
    RunManager runs = new RunManager(store, 4);
    List<Run> started = new ArrayList<>();
    TrainingConfig config = TrainingConfig.builder().epochs(1).build();
    for (int i = 0; i < 12; i++) started.add(runs.start(config));
    // Some runs are finishing (closing their logs on a writer thread) as the server shuts down:
    // that must not interrupt the writer in the middle of recording the run's final state.
    runs.close();
    for (Run run : started) {
      String state = store.readMeta(((RunLog) run.log()).directory()).state();
      assertThat(state)
          .as("run.json of %s", run.id())
          .isIn(RunStates.COMPLETED, RunStates.INTERRUPTED);
    }
  }

  @Test
  void loadAllListsEachRunOnceUnderItsDirectoryName() throws Exception {
    RunStore store = new RunStore(data, new EventCodec());
    RunManager first = new RunManager(store, 1);
    String original;
    try {
      Run run = first.createExternal("original", null);
      first.finishExternal(run);
      original = run.id();
    } finally {
      first.close();
    }
    // A copy of the run's directory under another name: its run.json still names the original.
    Path copy = Files.createDirectory(data.resolve("runs").resolve("copy-of-a-run"));
    for (String file : List.of(RunStore.META_FILE, RunStore.EVENTS_FILE)) {
      Files.copy(data.resolve("runs").resolve(original).resolve(file), copy.resolve(file));
    }

    RunManager runs = new RunManager(store, 1);
    try {
      runs.loadAll();
      assertThat(runs.list())
          .extracting(Run::id)
          .containsExactlyInAnyOrder(original, "copy-of-a-run");
      assertThat(runs.find(original).orElseThrow().log().size()).isEqualTo(2);
    } finally {
      runs.close();
    }
  }

  @Test
  void aLiveBurstLargerThanABatchArrivesWholeInBatchesOfBoundedSize() throws Exception {
    RunManager runs = new RunManager(new RunStore(data, new EventCodec()), 1);
    try {
      Run run = runs.createExternal("big bursts", null);
      String text = "x".repeat(4096);
      List<List<LogLine>> batches = new ArrayList<>();
      // Ten 4 KiB events pushed as one burst to a subscriber that keeps up (seq 1 to 10).
      StepVerifier.create(runs.batches(run, 1, null, 11))
          .then(
              () -> {
                try {
                  runs.appendExternal(
                      run,
                      seq -> {
                        List<TrainingEvent> burst = new ArrayList<>();
                        for (int i = 0; i < 10; i++) {
                          burst.add(
                              new TrainingEvent.Insight(
                                  run.id(), seq + i, 1, 1, "info", "note", text, null));
                        }
                        return burst;
                      });
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              })
          .recordWith(() -> batches)
          .thenConsumeWhile(b -> true)
          .expectComplete()
          .verify(Duration.ofSeconds(10));
      assertThat(batches.stream().flatMap(List::stream).map(LogLine::seq))
          .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
      // A batch stops once it reaches the byte budget, whether read from memory or from the file.
      for (List<LogLine> batch : batches) {
        int bytes = batch.stream().mapToInt(l -> l.json().length).sum();
        int last = batch.get(batch.size() - 1).json().length;
        assertThat(bytes - last).isLessThan(RunManager.BATCH_BYTES);
      }
    } finally {
      runs.close();
    }
  }

  @Test
  void aNewSubscriberCatchesUpOnALiveRunFromMemoryWithoutTheDiskPool() throws Exception {
    RunManager runs = new RunManager(new RunStore(data, new EventCodec()), 1);
    try {
      Run run = runs.createExternal("a burst of joiners", null);
      // 600 events: more than a live batch, fewer than the log keeps in memory.
      for (int burst = 0; burst < 6; burst++) {
        runs.appendExternal(
            run,
            seq -> {
              List<TrainingEvent> events = new ArrayList<>();
              for (int i = 0; i < 100; i++) {
                events.add(
                    new TrainingEvent.Insight(run.id(), seq + i, 1, 1, "info", "note", "x", null));
              }
              return events;
            });
      }
      List<String> threads = new ArrayList<>();
      List<Long> seqs = new ArrayList<>();
      StepVerifier.create(
              runs.batches(run, 0, null, 600)
                  .doOnNext(b -> threads.add(Thread.currentThread().getName())))
          .thenConsumeWhile(b -> seqs.addAll(b.stream().map(LogLine::seq).toList()))
          .expectComplete()
          .verify(Duration.ofSeconds(10));
      assertThat(seqs).hasSize(600).isSorted().doesNotHaveDuplicates();
      // On the subscriber's own thread (an event loop in the server): a burst of new streams
      // used to queue on the disk pool, and the event loops blocked on its lock to submit.
      assertThat(threads).isNotEmpty().allSatisfy(t -> assertThat(t).doesNotContain("disk"));
      // Read from memory: the very lines every live subscriber shares, whose frames are built.
      StepVerifier.create(runs.batches(run, 0, null, 600).flatMapIterable(b -> b))
          .thenConsumeWhile(LogLine::isShared)
          .expectComplete()
          .verify(Duration.ofSeconds(10));
    } finally {
      runs.close();
    }
  }
}
