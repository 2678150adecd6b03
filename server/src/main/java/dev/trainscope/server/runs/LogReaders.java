package dev.trainscope.server.runs;

import dev.trainscope.server.log.EventLog;
import dev.trainscope.server.log.EventReader;
import dev.trainscope.server.log.LogLine;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/**
 * The reading side of {@link RunManager}: streams of a run's log at the subscriber's demand. A
 * subscriber that keeps up takes new lines from the log's memory on the writer's thread; one that
 * has fallen behind reads the file on the disk pool. Nothing is read ahead of demand, so what a
 * slow subscriber holds is bounded by what its stream requests.
 */
final class LogReaders {
  private static final Logger log = LoggerFactory.getLogger(LogReaders.class);

  private final Scheduler disk;
  private final Flux<Run> created;
  private final Supplier<Collection<Run>> runs;

  LogReaders(Scheduler disk, Flux<Run> created, Supplier<Collection<Run>> runs) {
    this.disk = disk;
    this.created = created;
    this.runs = runs;
  }

  /** The run's events in [{@code from}, {@code until}) of the given types (all when null). */
  Flux<LogLine> lines(Run run, long from, Set<String> types, long until) {
    // Prefetch 1: the default (256 batches) let a stalled NDJSON client hold megabytes.
    return batches(run, from, types, until).concatMapIterable(batch -> batch, 1);
  }

  /** Events read per batch at most: bounds a subscriber's memory and keeps frames ~16 KiB. */
  static final int BATCH_EVENTS = 128;

  static final int BATCH_BYTES = 16 * 1024;

  /**
   * As {@link #lines(Run, long, Set, long)}, in batches of the events that are available together
   * (at most {@value #BATCH_EVENTS} events or about {@value #BATCH_BYTES} bytes), so a stream can
   * write and flush a backlog in a few large writes instead of one per event. Batches are read at
   * demand only, so a subscriber that stops reading holds what its stream requested: one batch read
   * ahead, within the per-stream budget of {@link dev.trainscope.server.sse.StreamGate}.
   */
  Flux<List<LogLine>> batches(Run run, long from, Set<String> types, long until) {
    EventLog runLog = run.log();
    return Flux.using(
            runLog::reader,
            reader -> {
              long[] next = {Math.max(0, from)};
              return runLog
                  .sizes()
                  .takeUntil(size -> size >= until)
                  .map(size -> Math.min(size, until))
                  .onBackpressureLatest()
                  .concatMap(
                      size -> {
                        // A subscriber that keeps up finds the new lines in memory and goes on, on
                        // the thread that published them: no disk-pool hop, no lock, no copy.
                        List<LogLine> live =
                            size - next[0] <= BATCH_EVENTS
                                ? reader.recent(next[0], size, types)
                                : null;
                        if (live != null && isOneBatch(live)) {
                          next[0] = Math.max(next[0], size);
                          return live.isEmpty() ? Flux.empty() : Flux.just(live);
                        }
                        return Flux.<List<LogLine>>generate(
                                sink -> {
                                  List<LogLine> batch = new java.util.ArrayList<>();
                                  int bytes = 0;
                                  long n = next[0];
                                  try {
                                    while (n < size
                                        && batch.size() < BATCH_EVENTS
                                        && bytes < BATCH_BYTES) {
                                      if (types == null || types.contains(reader.type(n))) {
                                        LogLine line = reader.read(n);
                                        batch.add(line);
                                        bytes += line.json().length;
                                      }
                                      n++;
                                    }
                                  } catch (IOException e) {
                                    sink.error(e);
                                    return;
                                  }
                                  next[0] = n;
                                  if (batch.isEmpty()) sink.complete();
                                  else sink.next(batch);
                                })
                            .subscribeOn(disk);
                      },
                      1);
            },
            reader -> {
              try {
                disk.schedule(() -> closeQuietly(reader));
              } catch (RejectedExecutionException e) {
                closeQuietly(reader); // shutting down: the disk pool is gone
              }
            })
        .subscribeOn(disk);
  }

  /**
   * True when the disk path would send {@code lines} as one batch too: a batch takes lines while it
   * holds fewer than {@value #BATCH_BYTES} bytes, so a subscriber's memory has the same bound on
   * either path.
   */
  private static boolean isOneBatch(List<LogLine> lines) {
    int bytes = 0;
    for (LogLine line : lines) {
      if (bytes >= BATCH_BYTES) return false;
      bytes += line.json().length;
    }
    return true;
  }

  /**
   * Every run's events from now on: runs created later from their first event, unfinished runs from
   * their current end. Lossless (readers of the logs), live only.
   */
  Flux<LogLine> allLines() {
    return Flux.defer(
        () -> {
          Set<String> seen = ConcurrentHashMap.newKeySet();
          Flux<Flux<LogLine>> fresh =
              created.filter(r -> seen.add(r.id())).map(r -> lines(r, 0, null, Long.MAX_VALUE));
          Flux<Flux<LogLine>> ongoing =
              Flux.fromIterable(List.copyOf(runs.get()))
                  .filter(r -> !r.log().isFinished())
                  .filter(r -> seen.add(r.id()))
                  .map(r -> lines(r, r.log().size(), null, Long.MAX_VALUE));
          return Flux.merge(fresh, ongoing).flatMap(f -> f, Integer.MAX_VALUE, 32);
        });
  }

  private static void closeQuietly(EventReader reader) {
    try {
      reader.close();
    } catch (IOException e) {
      log.debug("closing a log reader", e);
    }
  }
}
