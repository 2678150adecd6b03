package dev.trainscope.server.log;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainscope.engine.Trainer;
import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.server.json.EventCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data directory: one folder per run, {@code DATA/runs/<runId>/}, holding {@code run.json} (id,
 * name, config, state, createdAt, endedAt) and {@code events.ndjson} (see {@link RunLog}).
 * Thread-safe.
 */
public final class RunStore implements LogStore {
  public static final String RUNS_DIR = "runs";
  public static final String META_FILE = "run.json";
  public static final String EVENTS_FILE = "events.ndjson";
  private static final Logger log = LoggerFactory.getLogger(RunStore.class);
  private static final DateTimeFormatter CORRUPT_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final Path runsDir;
  private final EventCodec codec;
  private final LongSupplier clock;
  private final AtomicLong eventsWritten = new AtomicLong();
  private final WriterPool writers;
  private final MetaFile metaFile;

  public RunStore(Path dataDir, EventCodec codec) {
    this(dataDir, codec, System::currentTimeMillis);
  }

  public RunStore(Path dataDir, EventCodec codec, LongSupplier clock) {
    this(dataDir, codec, clock, WriterPool.DEFAULT_MAX);
  }

  /**
   * @param maxOpenWriters logs kept open for writing at once; beyond it the least recently written
   *     one closes its file until its next write
   */
  public RunStore(Path dataDir, EventCodec codec, LongSupplier clock, int maxOpenWriters) {
    this.runsDir = dataDir.resolve(RUNS_DIR);
    this.codec = codec;
    this.clock = clock;
    this.writers = new WriterPool(maxOpenWriters);
    this.metaFile = new MetaFile(codec);
  }

  WriterPool writers() {
    return writers;
  }

  /** Logs holding their file open for writing now (at most the store's maximum, see above). */
  public int openWriters() {
    return writers.size();
  }

  @Override
  public Path runsDirectory() {
    return runsDir;
  }

  public EventCodec codec() {
    return codec;
  }

  /** Events appended to any log of this store since it was created. */
  @Override
  public long eventsWritten() {
    return eventsWritten.get();
  }

  void eventWritten() {
    eventsWritten.incrementAndGet();
  }

  /**
   * Creates the run's directory, writes {@code run.json} (state {@code running}) and opens {@code
   * events.ndjson} for appending.
   *
   * @throws java.nio.file.FileAlreadyExistsException when the run already has a log
   */
  public RunLog create(String runId, TrainingConfig config) throws IOException {
    return create(runId, config, RunStates.RUNNING);
  }

  /** As {@link #create(String, TrainingConfig)}, recording {@code state} (e.g. queued). */
  public RunLog create(String runId, TrainingConfig config, String state) throws IOException {
    return create(runId, config, state, RunMeta.ENGINE, null);
  }

  /**
   * As {@link #create(String, TrainingConfig, String)}, recording who trains the run ({@link
   * RunMeta#ENGINE} or {@link RunMeta#HEADLESS}) and its sweep (or null).
   */
  public RunLog create(String runId, TrainingConfig config, String state, String kind, String sweep)
      throws IOException {
    return create(
        new RunMeta(
            runId,
            config.name(),
            config,
            state,
            clock.getAsLong(),
            null,
            false,
            kind,
            sweep,
            null));
  }

  /**
   * Creates the log of an external run (trained by another process that pushes its events): no
   * config, {@code external: true} and the given name in {@code run.json}, state {@code running}.
   */
  public RunLog createExternal(String runId, String name) throws IOException {
    return createExternal(runId, name, RunMeta.PUSHED, null);
  }

  /** As {@link #createExternal(String, String)}, of a kind, with the params its trainer sent. */
  public RunLog createExternal(String runId, String name, String kind, Map<String, Object> params)
      throws IOException {
    return create(
        new RunMeta(
            runId,
            name,
            null,
            RunStates.RUNNING,
            clock.getAsLong(),
            null,
            true,
            kind,
            null,
            params));
  }

  @Override
  public RunLog create(RunMeta meta) throws IOException {
    String runId = meta.id();
    if (runId == null || !Trainer.RUN_ID.matcher(runId).matches()) {
      throw new IllegalArgumentException("bad run id: " + runId);
    }
    Path dir = runsDir.resolve(runId);
    try {
      Files.createDirectories(runsDir);
      Files.createDirectory(dir);
    } catch (FileAlreadyExistsException e) {
      throw e;
    } catch (IOException e) {
      throw new StorageException(runId, "directory", e);
    }
    try {
      writeMeta(dir, meta);
      FileChannel ch =
          FileChannel.open(
              dir.resolve(EVENTS_FILE),
              StandardOpenOption.CREATE_NEW,
              StandardOpenOption.WRITE,
              StandardOpenOption.APPEND);
      RunLog runLog = new RunLog(this, dir, meta, ch, clock);
      runLog.opened(); // may park the least recently written logs: open files stay bounded
      return runLog;
    } catch (StorageException | RuntimeException e) {
      // A run that could not be created leaves nothing behind for the next start to load.
      deleteQuietly(dir);
      throw e;
    } catch (IOException e) {
      deleteQuietly(dir);
      throw new StorageException(runId, "log", e);
    }
  }

  /**
   * Removes a run that was never acknowledged (its creation failed half-way): closes its log, which
   * tells its readers it ended, and deletes its directory.
   */
  @Override
  public void discard(EventLog log) {
    RunLog runLog = (RunLog) log;
    try {
      runLog.close();
    } catch (IOException e) {
      // Typically the disk is full; the directory goes anyway.
    }
    deleteQuietly(runLog.directory());
  }

  private static void deleteQuietly(Path dir) {
    for (String name : List.of(EVENTS_FILE, META_FILE + ".tmp", META_FILE)) {
      try {
        Files.deleteIfExists(dir.resolve(name));
      } catch (IOException e) {
        log.warn("Cannot remove {}: {}", dir.resolve(name), e.toString());
      }
    }
    try {
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      log.warn("Cannot remove {}: {}", dir, e.toString());
    }
  }

  /**
   * The ids of all runs in the store (unordered): the names of the entries of {@code DATA/runs/}
   * that are valid run ids and directories, or symbolic links, which {@link #load} refuses with a
   * reason rather than skipping them silently.
   */
  @Override
  public List<String> runIds() throws IOException {
    if (!Files.isDirectory(runsDir)) return List.of();
    try (Stream<Path> dirs = Files.list(runsDir)) {
      return dirs.filter(
              p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(p))
          .map(p -> p.getFileName().toString())
          .filter(id -> Trainer.RUN_ID.matcher(id).matches())
          .toList();
    }
  }

  /**
   * Loads every run of the store (see {@link #load}); a run that cannot be read is logged and
   * skipped, never fatal.
   */
  public List<RunLog> loadAll(java.util.function.BiConsumer<RunLog, TrainingEvent> onEvent)
      throws IOException {
    List<RunLog> logs = new ArrayList<>();
    for (String id : runIds()) {
      try {
        logs.add(load(id, event -> onEvent.accept(null, event)));
      } catch (IOException | RuntimeException e) {
        log.warn("Run {} not loaded: {}", id, e.toString());
      }
    }
    return logs;
  }

  /**
   * Recovers one run for reading. The directory name is the run's id. Indexes the longest run of
   * this run's events with seq 0, 1, 2, ... (see {@link LogScan}), passing each, in order, to
   * {@code onEvent}. Nothing is deleted: bytes after the last kept event are first copied to {@code
   * events.ndjson.corrupt-<time>}, then the log is cut back to the kept events. When the log has no
   * terminal event (the process died while the run trained) a {@code status interrupted} event is
   * appended and {@code interrupted} recorded in {@code run.json}. When any of that cannot be
   * written (a full disk) the run is served read-only, as found. The returned log is finished;
   * anything unusual is in {@link RunLog#recovery()} and one WARN line.
   *
   * @throws IOException when the run cannot be loaded at all (its files are symbolic links, {@code
   *     run.json} is missing or unreadable); the message says why
   */
  @Override
  public RunLog load(String runId, Consumer<TrainingEvent> onEvent) throws IOException {
    Path dir = runsDir.resolve(runId);
    refuseLinks(dir);
    JsonNode node = metaFile.readNode(dir);
    RunMeta meta = metaFile.metaOf(dir, node);
    String declared = node.path("id").asText(runId);
    String declaredId = runId.equals(declared) ? null : declared;
    Path events = dir.resolve(EVENTS_FILE);
    RunLog runLog = new RunLog(this, dir, meta, null, clock);
    LogScan scan =
        Files.exists(events, LinkOption.NOFOLLOW_LINKS)
            ? LogScan.scan(events, runId, codec, runLog, onEvent)
            : LogScan.empty(runId);
    String state = scan.terminal != null ? scan.terminal : RunStates.INTERRUPTED;
    String movedTo = null;
    String readOnly = null;
    String step = "the unreadable tail could not be moved aside";
    try {
      if (scan.hasTail()) movedTo = moveTailAside(events, scan.keptEnd);
      step = "the interrupted event could not be appended";
      if (scan.terminal == null) onEvent.accept(appendInterrupted(runLog, events, scan));
      step = META_FILE + " could not be updated";
      if (!state.equals(meta.state())) {
        Long endedAt = meta.endedAt();
        if (endedAt == null) endedAt = scan.terminal != null ? scan.last.time() : clock.getAsLong();
        runLog.replaceMeta(meta.withState(state, endedAt));
      }
    } catch (IOException e) {
      readOnly = step + ": " + (e.getMessage() != null ? e.getMessage() : e.toString());
    }
    runLog.markRecoveredFinished(state);
    Recovery recovery =
        new Recovery(
            scan.kept,
            scan.duplicates,
            scan.unreadableLines,
            scan.unreadableBytes,
            scan.hasTail() ? scan.keptEnd : null,
            scan.fileSize - scan.keptEnd,
            scan.tailReason(),
            movedTo,
            declaredId,
            readOnly != null,
            readOnly);
    if (!recovery.isClean()) {
      runLog.recovered(recovery);
      log.warn("Run {} recovered: {}", runId, describe(recovery));
    }
    if (scan.terminal == null && readOnly == null) {
      log.info("Run {} was unfinished: marked interrupted after {} events", runId, scan.kept);
    }
    runLog.publishRecovered();
    return runLog;
  }

  /** Runs are only ever read from, and written to, files inside the data directory. */
  private static void refuseLinks(Path dir) throws IOException {
    for (Path p : List.of(dir, dir.resolve(META_FILE), dir.resolve(EVENTS_FILE))) {
      String name = p.equals(dir) ? "its directory" : p.getFileName().toString();
      if (Files.isSymbolicLink(p)) {
        throw new IOException(
            name
                + " is a symbolic link (to "
                + Files.readSymbolicLink(p)
                + "); runs are never read or written through links");
      }
      if (!p.equals(dir)
          && Files.exists(p, LinkOption.NOFOLLOW_LINKS)
          && !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException(name + " is not a regular file");
      }
    }
    if (!Files.exists(dir.resolve(META_FILE), LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(META_FILE + " is missing in " + dir);
    }
  }

  /**
   * Copies the log's bytes from {@code from} on to a new {@code events.ndjson.corrupt-<time>}
   * (fsynced, with its directory entry), and only then cuts the log back to {@code from}. Returns
   * the new file's name. On failure the log is as it was and no partial copy is left.
   */
  private String moveTailAside(Path events, long from) throws IOException {
    Path dir = events.getParent();
    Path aside = null;
    try (FileChannel log =
        FileChannel.open(
            events, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      for (int n = 0; aside == null; n++) {
        Path candidate =
            dir.resolve(
                EVENTS_FILE
                    + ".corrupt-"
                    + CORRUPT_TIME.format(Instant.ofEpochMilli(clock.getAsLong()))
                    + (n == 0 ? "" : "-" + n));
        try (FileChannel out =
            FileChannel.open(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
          aside = candidate;
          long size = log.size();
          for (long pos = from; pos < size; ) {
            long copied = log.transferTo(pos, size - pos, out);
            if (copied <= 0) throw new IOException("copy of " + events + " ended at byte " + pos);
            pos += copied;
          }
          out.force(true);
        } catch (FileAlreadyExistsException e) {
          if (n >= 100) throw e;
        }
      }
      forceDirectory(dir);
      log.truncate(from);
      log.force(true);
      return aside.getFileName().toString();
    } catch (IOException e) {
      if (aside != null) Files.deleteIfExists(aside);
      throw e;
    }
  }

  /**
   * Appends {@code status interrupted} to a log recovered without a terminal event and indexes it.
   * On failure the log is cut back to what it was.
   */
  private TrainingEvent appendInterrupted(RunLog runLog, Path events, LogScan scan)
      throws IOException {
    TrainingEvent.Status interrupted =
        new TrainingEvent.Status(
            runLog.runId(),
            scan.kept,
            clock.getAsLong(),
            TrainingEvent.Status.INTERRUPTED,
            scan.lastEpoch);
    byte[] json = codec.encodeBytes(interrupted);
    ByteBuffer line = ByteBuffer.allocate(json.length + 1).put(json).put((byte) '\n').flip();
    try (FileChannel ch =
        FileChannel.open(
            events,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS)) {
      try {
        while (line.hasRemaining()) ch.write(line, scan.keptEnd + line.position());
        ch.force(true);
      } catch (IOException e) {
        try {
          ch.truncate(scan.keptEnd);
        } catch (IOException ignored) {
          // The log then ends in a torn line, which the next recovery moves aside.
        }
        throw e;
      }
    }
    runLog.indexExisting(interrupted.type(), scan.keptEnd, json.length);
    eventWritten();
    return interrupted;
  }

  private static void forceDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // Not every file system can fsync a directory; the copy itself is on disk.
    }
  }

  /** One line for the server log: what recovery kept, and where the rest is. */
  private static String describe(Recovery r) {
    StringBuilder sb = new StringBuilder("kept ").append(r.keptEvents()).append(" events");
    if (r.declaredId() != null) {
      sb.append("; run.json names the run ")
          .append(r.declaredId())
          .append(", but its directory name is its id");
    }
    if (r.duplicatesDropped() > 0) {
      sb.append("; dropped ").append(r.duplicatesDropped()).append(" duplicate line(s)");
    }
    if (r.unreadableLines() > 0) {
      sb.append("; skipped ")
          .append(r.unreadableLines())
          .append(" line(s) (")
          .append(r.unreadableBytes())
          .append(" bytes) that are not events of this run, left in place");
    }
    if (r.tailOffset() != null) {
      sb.append("; from byte ")
          .append(r.tailOffset())
          .append(" on (")
          .append(r.tailReason())
          .append("), ")
          .append(r.tailBytes())
          .append(" bytes ");
      if (r.tailMovedTo() != null) {
        sb.append("were moved to ").append(r.tailMovedTo()).append(" before the log was cut back");
      } else {
        sb.append("stay in ").append(EVENTS_FILE).append(", unserved");
      }
    }
    if (r.readOnly()) sb.append("; read-only: ").append(r.readOnlyReason());
    return sb.toString();
  }

  /** Writes {@code run.json} atomically (see {@link MetaFile#write}). */
  void writeMeta(Path dir, RunMeta meta) throws IOException {
    metaFile.write(dir, meta);
  }

  /** Reads {@code run.json}; the run's id is its directory's name, whatever the file says. */
  public RunMeta readMeta(Path dir) throws IOException {
    return metaFile.metaOf(dir, metaFile.readNode(dir));
  }
}
