package dev.trainscope.server.runs;

import dev.trainscope.server.log.EventLog;
import dev.trainscope.server.log.EventReader;
import dev.trainscope.server.log.LogLine;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
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
    // Subscribed where the stream starts (an event loop): a reader opens no file until it reads
    // from disk, so starting one costs no hop to the disk pool. A burst of new streams used to
    // queue up there, and the event loops waited on the pool's lock (seconds, in JFR) to submit.
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
                  size ->
                      Flux.defer(() -> nextBatch(reader, next, size, types))
                          .repeat(() -> next[0] < size),
                  1);
        },
        LogReaders::closeQuietly); // frees the reader's block buffer: no I/O
  }

  /**
   * The next batch of [{@code next[0]}, {@code size}): from the log's recent lines when they are
   * still there, on the calling thread without a lock or a copy (a subscriber that keeps up, and a
   * new one catching up on a live run: both find the lines every other subscriber shares); else
   * from the file on the disk pool. Advances {@code next[0]}.
   */
  private Flux<List<LogLine>> nextBatch(
      EventReader reader, long[] next, long size, Set<String> types) {
    List<LogLine> batch = new ArrayList<>();
    int bytes = 0;
    long n = next[0];
    while (n < size && batch.size() < BATCH_EVENTS && bytes < BATCH_BYTES) {
      LogLine line = reader.recentLine(n);
      if (line == null) break;
      if (types == null || types.contains(line.type())) {
        batch.add(line);
        bytes += line.json().length;
      }
      n++;
    }
    if (n > next[0] || n >= size) {
      next[0] = n;
      return batch.isEmpty() ? Flux.empty() : Flux.just(batch);
    }
    return Mono.fromCallable(() -> readBatch(reader, next, size, types)).subscribeOn(disk).flux();
  }

  /** As {@link #nextBatch}, from the file (blocking: on the disk pool); null when none is left. */
  private static List<LogLine> readBatch(
      EventReader reader, long[] next, long size, Set<String> types) throws IOException {
    List<LogLine> batch = new ArrayList<>();
    int bytes = 0;
    long n = next[0];
    while (n < size && batch.size() < BATCH_EVENTS && bytes < BATCH_BYTES) {
      if (types == null || types.contains(reader.type(n))) {
        LogLine line = reader.read(n);
        batch.add(line);
        bytes += line.json().length;
      }
      n++;
    }
    next[0] = n;
    return batch.isEmpty() ? null : batch;
  }

  /**
   * Every run's events of the given types (all when null) from now on, in batches per run: runs
   * created later from their first event, unfinished runs from their current end. Lossless (readers
   * of the logs), live only. The types are the readers' own filter, so a run list that asks for
   * summaries never handles the traces and statistics that make up most of a run's bytes.
   */
  Flux<List<LogLine>> allBatches(Set<String> types) {
    return Flux.defer(
        () -> {
          Set<String> seen = ConcurrentHashMap.newKeySet();
          Flux<Flux<List<LogLine>>> fresh =
              created.filter(r -> seen.add(r.id())).map(r -> batches(r, 0, types, Long.MAX_VALUE));
          Flux<Flux<List<LogLine>>> ongoing =
              Flux.fromIterable(List.copyOf(runs.get()))
                  .filter(r -> !r.log().isFinished())
                  .filter(r -> seen.add(r.id()))
                  .map(r -> batches(r, r.log().size(), types, Long.MAX_VALUE));
          // Prefetch 1: a subscriber that reads nothing holds one batch per run, not 32.
          return Flux.merge(fresh, ongoing).flatMap(f -> f, Integer.MAX_VALUE, 1);
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
