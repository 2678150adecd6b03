package dev.trainscope.server.log;

import dev.trainscope.engine.event.TrainingEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * The durable log of one run: {@code events.ndjson} (one JSON line per event, in sequence order)
 * and {@code run.json} (config and state) in the run's directory.
 *
 * <p><b>Writing.</b> One thread at a time calls {@link #append}. Each event is encoded to JSON once
 * and kept in a small write buffer.
 *
 * <ul>
 *   <li><b>Flush to the OS</b> ({@code write(2)}, survives a crash or {@code kill -9} of the JVM):
 *       at the end of every {@link #writeThrough} (what a client waits for: it is answered only
 *       once its events are with the OS), at every {@code epoch} event, every {@code status} event
 *       and the terminal event, and whenever the buffer holds {@value #MAX_PENDING_EVENTS} events
 *       or {@value #MAX_PENDING_BYTES} bytes.
 *   <li><b>fsync</b> ({@code FileChannel.force}, survives power loss): at {@code status} and
 *       terminal events, on {@link #close()}, and at an epoch boundary when the last fsync is more
 *       than {@value #FSYNC_INTERVAL_MS} ms ago. So a power cut loses at most about one second of
 *       epochs; a process crash loses at most the events after the last epoch.
 *   <li><b>A failed write</b> (full disk) is undone: the file is cut back to its last complete
 *       event and the call's events are dropped, so it throws a {@link StorageException} and leaves
 *       the log as it was; their seqs go to the next events.
 * </ul>
 *
 * <p><b>Reading.</b> The log keeps an index of seq -> byte offset (8 bytes per event) and the type
 * of each event. Readers ({@link #reader()}) read flushed events from the file at their own pace
 * and not-yet-flushed ones from the write buffer, so any number of readers cost the writer nothing
 * and each reader's memory is bounded. {@link #sizes()} signals the number of events available
 * (latest value only) and completes when the log is finished.
 */
public final class RunLog implements EventLog {
  static final int MAX_PENDING_EVENTS = 1024;
  static final int MAX_PENDING_BYTES = 256 * 1024;
  static final long FSYNC_INTERVAL_MS = 1000;

  private final RunStore store;
  private final Path dir;
  private final Path eventsFile;
  private final LongSupplier clock;
  private final Sinks.Many<Long> sizes = Sinks.many().replay().latest();
  private long published = -1; // guarded by sizes

  // Written under this lock; the volatile ones are also read without it, so that HTTP handlers on
  // event-loop threads never wait for a writer that holds the lock across a write or an fsync.
  private volatile RunMeta meta;
  // Null once closed, for a log recovered as finished, and while parked by the store's
  // WriterPool (too many logs open): then the next write reopens it.
  private FileChannel writer;
  private boolean writable; // accepts appends: false once closed or recovered as finished
  private final LineIndex index = new LineIndex();
  private volatile int count; // indexed, including a batch being written
  // What size() tells: a batch counts once it is stored, so nobody waits for a failed one.
  private volatile int stored;
  private long totalBytes; // flushed + pending
  private long flushedBytes;
  private final WriteBuffer pending = new WriteBuffer();
  private int pendingEvents;
  private long lastFsync;
  private volatile String finalState;
  private volatile boolean finished;
  private volatile Recovery recovery;
  private boolean broken; // a failed write could not be undone: the file's tail is unknown

  /** The most recent lines, shared by all readers: live subscribers copy and encode nothing. */
  static final int RECENT = 1024;

  private final LogLine[] recentLines = new LogLine[RECENT];

  RunLog(RunStore store, Path dir, RunMeta meta, FileChannel writer, LongSupplier clock) {
    this.store = store;
    this.dir = dir;
    this.eventsFile = dir.resolve(RunStore.EVENTS_FILE);
    this.meta = meta;
    this.writer = writer;
    this.writable = writer != null;
    this.clock = clock;
    this.lastFsync = clock.getAsLong();
  }

  @Override
  public String runId() {
    return meta().id();
  }

  public Path directory() {
    return dir;
  }

  @Override
  public RunMeta meta() {
    return meta;
  }

  /** Number of events in the log (seq of the next event). */
  @Override
  public long size() {
    return stored;
  }

  /** True once a terminal event was appended or the log was closed. */
  @Override
  public boolean isFinished() {
    return finished;
  }

  /** The final state recorded by a terminal event, or null while none was appended. */
  @Override
  public String finalState() {
    return finalState;
  }

  /** What recovery found when this log was loaded; null when it was a clean log of this run. */
  @Override
  public Recovery recovery() {
    return recovery;
  }

  /** True for a log recovery could not write to (e.g. on a full disk): served as found. */
  @Override
  public boolean isReadOnly() {
    return recovery != null && recovery.readOnly();
  }

  /**
   * Appends one event as a line of JSON and tells readers ({@link #sizes()}); see the class comment
   * for when it reaches the OS and the disk. Returns the stored line. The event's seq must be the
   * log's size.
   */
  @Override
  public LogLine append(TrainingEvent event) throws IOException {
    LogLine line = write(event);
    publish();
    return line;
  }

  /**
   * As {@link #append} but without telling readers: a writer that has several events at hand writes
   * them all, then calls {@link #publish()} once, so each reader wakes once per burst and sends the
   * burst in one write instead of one per event. The one exception: before an fsync it tells
   * readers what the OS already has, so that none of them waits for the disk.
   */
  @Override
  public LogLine write(TrainingEvent event) throws IOException {
    return store(List.of(event), false).get(0);
  }

  /**
   * Appends events a client is waiting for (a push, a run's first event) and writes them through to
   * the OS before returning, so that an acknowledgement survives a crash of the process; fsync
   * follows the policy of the class comment. Then tells readers once. The first event's seq must be
   * the log's size, the others follow it.
   */
  @Override
  public List<LogLine> writeThrough(List<TrainingEvent> events) throws IOException {
    List<LogLine> lines = store(events, true);
    publish();
    return lines;
  }

  private List<LogLine> store(List<TrainingEvent> events, boolean through) throws IOException {
    List<LogLine> lines = new ArrayList<>(events.size());
    for (TrainingEvent event : events) {
      byte[] json = store.codec().encodeBytes(event);
      LogLine line = new LogLine(event.runId(), event.seq(), event.type(), json);
      line.share(); // its frame built once here, where it costs no subscriber anything
      lines.add(line);
    }
    FileChannel fsync = null;
    // Logs the pool closes to make room; parked outside this lock, even when the write fails.
    List<RunLog> evicted = List.of();
    try {
      synchronized (this) {
        if (!writable) throw new IOException("run log " + meta.id() + " is closed");
        if (broken) {
          throw new IOException(
              "run "
                  + meta.id()
                  + "'s log cannot be written: an earlier failed write left it torn");
        }
        evicted = openWriterLocked();
        for (int i = 0; i < events.size(); i++) {
          long seq = events.get(i).seq();
          if (seq != count + i) {
            throw new IllegalArgumentException(
                "event seq " + seq + " out of order: the log holds " + (count + i) + " events");
          }
        }
        Mark before = mark();
        boolean flush = through;
        boolean force = false;
        boolean epoch = false;
        for (int i = 0; i < events.size(); i++) {
          TrainingEvent event = events.get(i);
          add(lines.get(i));
          String terminal = RunStates.finalStateOf(event);
          boolean status = event instanceof TrainingEvent.Status;
          epoch |= event instanceof TrainingEvent.Epoch;
          if (terminal != null) {
            finalState = terminal;
            finished = true;
          }
          flush |= epoch || status || terminal != null;
          force |= status || terminal != null;
        }
        if (flush || pendingEvents >= MAX_PENDING_EVENTS || pending.size() >= MAX_PENDING_BYTES) {
          try {
            flushLocked();
          } catch (IOException e) {
            // Not stored: forget these events as if they had never come, so that their seqs go to
            // the next events and nobody reads them (nothing of them was published).
            rollBack(before);
            throw e;
          }
          long now = clock.getAsLong();
          if (force || (epoch && now - lastFsync >= FSYNC_INTERVAL_MS)) {
            fsync = writer;
            lastFsync = now;
          }
        }
        stored = count;
      }
      // The data is already with the OS, where readers find it; the fsync (which can take long on a
      // busy disk) runs outside the lock so it delays neither readers nor HTTP handlers.
      if (fsync != null) {
        // Readers need not wait for the disk: the events are with the OS, where they read them. A
        // busy disk took tens of ms per fsync, and each held back a burst from every subscriber.
        publish();
        try {
          fsync.force(false);
        } catch (ClosedChannelException e) {
          forceParked(); // parked meanwhile (close() forces the file itself)
        }
      }
    } finally {
      WriterPool.parkAll(evicted);
    }
    for (int i = 0; i < events.size(); i++) store.eventWritten();
    return lines;
  }

  /** What a batch changes, to undo it when it cannot be written. */
  private record Mark(
      int count,
      long totalBytes,
      int pending,
      int pendingEvents,
      String finalState,
      boolean finished) {}

  private Mark mark() {
    return new Mark(count, totalBytes, pending.size(), pendingEvents, finalState, finished);
  }

  private void rollBack(Mark m) {
    for (int seq = m.count; seq < count; seq++) recentLines[seq % RECENT] = null;
    count = m.count;
    totalBytes = m.totalBytes;
    pending.truncate(m.pending);
    pendingEvents = m.pendingEvents;
    finalState = m.finalState;
    finished = m.finished;
  }

  /** Adds one encoded line to the index and the write buffer (under the lock). */
  private void add(LogLine line) {
    byte[] json = line.json();
    index.put(count, totalBytes, line.type());
    pending.write(json, 0, json.length);
    pending.write('\n');
    recentLines[(int) (line.seq() % RECENT)] = line;
    pendingEvents++;
    totalBytes += json.length + 1;
    count++;
  }

  /** Tells readers how many events the log holds now (a no-op when nothing new was written). */
  @Override
  public void publish() {
    signal(stored, false);
  }

  /** Emits {@code size} unless readers already know it, then completes when {@code last}. */
  private void signal(long size, boolean last) {
    synchronized (sizes) {
      if (size > published) {
        published = size;
        sizes.emitNext(size, Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
      }
      if (last) sizes.emitComplete(Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
    }
  }

  /** The writer, reopened when the pool had parked it; tells the pool (call under the lock). */
  private List<RunLog> openWriterLocked() throws IOException {
    if (writer == null) writer = openForAppend();
    return store.writers().touch(this);
  }

  /**
   * Closes the writer's channel until the next write, to bound open files; buffered events go to
   * the OS first, so readers still find them. A no-op for a closed or already parked log.
   */
  void park() throws IOException {
    synchronized (this) {
      if (writer == null) return;
      try {
        flushLocked();
      } finally {
        writer.close();
        writer = null;
      }
    }
  }

  /** An fsync whose channel was parked meanwhile: fsync the file through a channel of its own. */
  private void forceParked() throws IOException {
    synchronized (this) {
      if (!writable) return;
    }
    try (FileChannel ch =
        FileChannel.open(eventsFile, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      ch.force(false);
    }
  }

  /** The log file for appending, never through a link (recovery refuses linked runs too). */
  private FileChannel openForAppend() throws IOException {
    return FileChannel.open(
        eventsFile, StandardOpenOption.WRITE, StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS);
  }

  /** Writes buffered events to the OS. */
  @Override
  public synchronized void flush() throws IOException {
    if (writer != null) flushLocked();
  }

  /**
   * Writes the buffer to the OS. When that fails (a full disk), the file is cut back to its last
   * complete event, so that the bytes a short write left there are neither kept nor written twice;
   * the buffer stays as it was.
   */
  private void flushLocked() throws IOException {
    if (pending.size() == 0) return;
    ByteBuffer buf = ByteBuffer.wrap(pending.array(), 0, pending.size());
    try {
      while (buf.hasRemaining()) writer.write(buf);
    } catch (IOException e) {
      try {
        writer.truncate(flushedBytes);
      } catch (IOException | RuntimeException t) {
        broken = true;
        e.addSuppressed(t);
      }
      // A closed channel is not the disk's fault (and space will not fix it): not a 507.
      if (e instanceof ClosedChannelException) throw e;
      throw new StorageException(meta.id(), "log", e);
    }
    flushedBytes = totalBytes;
    pending.reset();
    pendingEvents = 0;
  }

  /**
   * Flushes, fsyncs and closes the file, and records the final state in {@code run.json}: the state
   * of the terminal event, or {@code interrupted} when there was none. Idempotent.
   */
  @Override
  public void close() throws IOException {
    close(RunStates.INTERRUPTED);
  }

  /**
   * As {@link #close()}, recording {@code unfinishedState} when there was no terminal event (e.g.
   * {@code failed} for a run whose failure could not be written). Readers are told the log ended
   * even when the file cannot be written: then the file keeps its last complete event, events not
   * written stay readable from memory, and the error is thrown afterwards.
   */
  @Override
  public void close(String unfinishedState) throws IOException {
    long size;
    IOException failure = null;
    synchronized (this) {
      if (!writable) return;
      writable = false;
      store.writers().remove(this);
      try {
        // Parked: reopened only to fsync what the OS may still hold.
        if (writer == null) writer = openForAppend();
        flushLocked();
        writer.force(true);
        // A finished run is replayed from the file; its recent lines need not stay in memory.
        Arrays.fill(recentLines, null);
      } catch (IOException e) {
        failure = e;
      } finally {
        try {
          if (writer != null) writer.close();
        } catch (IOException e) {
          if (failure == null) failure = e;
        }
        writer = null;
      }
      String state = finalState != null ? finalState : unfinishedState;
      finalState = state;
      meta = meta.withState(state, clock.getAsLong());
      try {
        store.writeMeta(dir, meta);
      } catch (IOException e) {
        if (failure == null) failure = e;
        else failure.addSuppressed(e);
      }
      finished = true;
      size = count;
    }
    signal(size, true);
    if (failure != null) throw failure;
  }

  /**
   * The number of events readable so far, each time it grows (only the latest value is kept for a
   * slow subscriber); completes once the log is finished and closed.
   */
  @Override
  public Flux<Long> sizes() {
    return sizes.asFlux();
  }

  /**
   * A reader with its own cursor. It opens the file only while it reads a block, so a thousand
   * streams hold no file descriptors while they wait for events or for their clients.
   */
  @Override
  public LogReader reader() throws IOException {
    return new LogReader(this);
  }

  /**
   * Used by recovery: indexes an existing line, which starts at {@code offset} (recovery may have
   * skipped bytes before it: a byte order mark, a duplicate, an unreadable line) and has {@code
   * length} bytes before its newline.
   */
  synchronized void indexExisting(String type, long offset, int length) {
    if (offset != totalBytes && count > 0) index.endsAt(count - 1L, totalBytes);
    index.put(count, offset, type);
    totalBytes = offset + length + 1;
    flushedBytes = totalBytes;
    count++;
    stored = count;
  }

  /** Used by recovery: records what it found. */
  void recovered(Recovery found) {
    recovery = found;
  }

  /** Used by recovery of a run that needs no more writing. */
  synchronized void markRecoveredFinished(String state) {
    finalState = state;
    finished = true;
    writer = null;
    writable = false;
  }

  /** Used by recovery once indexing is done: publishes the size (and completion if finished). */
  void publishRecovered() {
    long size;
    boolean done;
    synchronized (this) {
      size = count;
      done = finished && !writable;
    }
    signal(size, done);
  }

  /** Used by recovery: records corrected metadata in {@code run.json}. */
  synchronized void replaceMeta(RunMeta newMeta) throws IOException {
    meta = newMeta;
    store.writeMeta(dir, meta);
  }

  /** Registers a newly opened writer with the store's pool, which may park other logs. */
  void opened() {
    List<RunLog> evicted;
    synchronized (this) {
      if (writer == null) return;
      evicted = store.writers().touch(this);
    }
    WriterPool.parkAll(evicted);
  }

  // ---- what a LogReader needs, each read under the log's lock or from volatile state ----

  Path eventsFile() {
    return eventsFile;
  }

  /** The line of {@code seq} from the recent lines, without a lock; null when not kept there. */
  LogLine recentLine(long seq) {
    // count is written after the slot (volatile), so a slot of a seq below count is visible; a slot
    // already reused by a newer line shows another seq.
    if (seq < 0 || seq >= count) return null;
    LogLine line = recentLines[(int) (seq % RECENT)];
    return line != null && line.seq() == seq ? line : null;
  }

  /** The wire type of event {@code seq} (no I/O), or null when it does not exist yet. */
  synchronized String typeAt(long seq) {
    if (seq < 0 || seq >= count) return null;
    return index.type(seq);
  }

  synchronized long flushedBytes() {
    return flushedBytes;
  }

  /**
   * Where event {@code seq} is: its line when it is in memory (recent or not yet flushed), else the
   * bytes [start, end) of the file that hold it and its newline.
   */
  record Location(LogLine line, long start, long end, String type) {}

  synchronized Location locate(long seq) {
    if (seq < 0 || seq >= count) {
      throw new IllegalArgumentException("no event " + seq + " in a log of " + count);
    }
    LogLine shared = recentLines[(int) (seq % RECENT)];
    if (shared != null && shared.seq() == seq) return new Location(shared, 0, 0, shared.type());
    long start = index.start(seq);
    long end = index.end(seq, count, totalBytes);
    String type = index.type(seq);
    if (start >= flushedBytes) {
      // Not yet flushed: copy from the write buffer.
      int from = (int) (start - flushedBytes);
      byte[] json = Arrays.copyOfRange(pending.array(), from, from + (int) (end - start) - 1);
      return new Location(new LogLine(meta.id(), seq, type, json), start, end, type);
    }
    return new Location(null, start, end, type);
  }
}
