package dev.trainscope.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.server.json.EventCodec;
import dev.trainscope.server.log.RunLog;
import dev.trainscope.server.log.RunStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

class BlockingWritesTest {
  private final EventCodec codec = new EventCodec();
  private final Scheduler disk = Schedulers.newBoundedElastic(2, 100, "test-disk");
  @TempDir Path data;

  @AfterEach
  void stop() {
    disk.dispose();
  }

  private static TrainingEvent epoch(long seq) {
    return new TrainingEvent.Epoch(
        "r1", seq, 1000 + seq, (int) seq + 1, 0, 0.5, null, null, null, null, 0, Map.of());
  }

  /**
   * What Reactor Netty does when a client disconnects during a push: it cancels the handler while
   * the disk thread is inside the log's write. The write still completes, and the log takes more.
   */
  @Test
  void aWriteWhoseClientGoesAwayMidWriteCompletesAndTheLogStaysWritable() throws Exception {
    RunLog log = new RunStore(data, codec).createExternal("r1", "pushed");
    log.writeThrough(List.of(epoch(0)));
    CompletableFuture<Void> written = new CompletableFuture<>();
    synchronized (log) { // the write waits for the log: it is under way when the client leaves
      Disposable request =
          BlockingWrites.call(
                  disk,
                  () -> {
                    try {
                      log.writeThrough(List.of(epoch(1)));
                      written.complete(null);
                    } catch (Exception e) {
                      written.completeExceptionally(e);
                    }
                    return 1;
                  })
              .subscribe();
      awaitDiskThreadBlocked();
      request.dispose();
    }
    written.get(10, TimeUnit.SECONDS);

    log.writeThrough(List.of(epoch(2)));
    assertThat(Files.readAllLines(data.resolve("runs/r1/events.ndjson")))
        .containsExactly(codec.encode(epoch(0)), codec.encode(epoch(1)), codec.encode(epoch(2)));
  }

  private static void awaitDiskThreadBlocked() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (Thread.getAllStackTraces().keySet().stream()
        .noneMatch(
            t -> t.getName().startsWith("test-disk") && t.getState() == Thread.State.BLOCKED)) {
      assertThat(System.nanoTime()).as("the write started").isLessThan(deadline);
      LockSupport.parkNanos(1_000_000);
    }
  }
}
