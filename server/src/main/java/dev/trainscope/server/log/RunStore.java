package dev.trainscope.server.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainscope.engine.Trainer;
import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.server.json.EventCodec;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
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
public final class RunStore {
  public static final String RUNS_DIR = "runs";
  public static final String META_FILE = "run.json";
  public static final String EVENTS_FILE = "events.ndjson";
  private static final Logger log = LoggerFactory.getLogger(RunStore.class);

  private final Path runsDir;
  private final EventCodec codec;
  private final LongSupplier clock;
  private final AtomicLong eventsWritten = new AtomicLong();

  public RunStore(Path dataDir, EventCodec codec) {
    this(dataDir, codec, System::currentTimeMillis);
  }

  public RunStore(Path dataDir, EventCodec codec, LongSupplier clock) {
    this.runsDir = dataDir.resolve(RUNS_DIR);
    this.codec = codec;
    this.clock = clock;
  }

  public Path runsDirectory() {
    return runsDir;
  }

  public EventCodec codec() {
    return codec;
  }

  /** Events appended to any log of this store since it was created. */
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
    if (runId == null || !Trainer.RUN_ID.matcher(runId).matches()) {
      throw new IllegalArgumentException("bad run id: " + runId);
    }
    return create(new RunMeta(runId, config.name(), config, state, clock.getAsLong(), null, false));
  }

  /**
   * Creates the log of an external run (trained by another process that pushes its events): no
   * config, {@code external: true} and the given name in {@code run.json}, state {@code running}.
   */
  public RunLog createExternal(String runId, String name) throws IOException {
    return create(new RunMeta(runId, name, null, RunStates.RUNNING, clock.getAsLong(), null, true));
  }

  private RunLog create(RunMeta meta) throws IOException {
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
      return new RunLog(this, dir, meta, ch, clock);
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
  public void discard(RunLog runLog) {
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

  /** The ids of all runs with a directory in the store (unordered). */
  public List<String> runIds() throws IOException {
    if (!Files.isDirectory(runsDir)) return List.of();
    try (Stream<Path> dirs = Files.list(runsDir)) {
      return dirs.filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .filter(id -> Trainer.RUN_ID.matcher(id).matches())
          .filter(id -> Files.isRegularFile(runsDir.resolve(id).resolve(META_FILE)))
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
        log.warn("Skipping run {}: {}", id, e.toString());
      }
    }
    return logs;
  }

  /**
   * Recovers one run for reading: indexes its events (passing each, in order, to {@code onEvent}),
   * drops a torn or unreadable tail, and when the log has no terminal event (the process died while
   * it trained) appends a {@code status interrupted} event and records {@code interrupted} in
   * {@code run.json}. The returned log is finished.
   */
  public RunLog load(String runId, Consumer<TrainingEvent> onEvent) throws IOException {
    Path dir = runsDir.resolve(runId);
    RunMeta meta = readMeta(dir);
    Path events = dir.resolve(EVENTS_FILE);
    RunLog runLog = new RunLog(this, dir, meta, null, clock);
    long validBytes = 0;
    TrainingEvent last = null;
    int lastEpoch = 0;
    String terminal = null;
    if (Files.exists(events)) {
      try (InputStream in = new BufferedInputStream(Files.newInputStream(events), 1 << 16)) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        long seq = 0;
        boolean stop = false;
        while (!stop && (b = in.read()) >= 0) {
          if (b != '\n') {
            line.write(b);
            continue;
          }
          String text = line.toString(StandardCharsets.UTF_8);
          int length = line.size();
          line.reset();
          TrainingEvent event;
          try {
            event = codec.decode(text);
          } catch (RuntimeException e) {
            log.warn(
                "Run {}: unreadable event line at byte {} ignored with the rest: {}",
                runId,
                validBytes,
                e.getMessage());
            break;
          }
          if (event.seq() != seq || !runId.equals(event.runId()) || terminal != null) {
            log.warn(
                "Run {}: event out of sequence at byte {}; the rest is ignored", runId, validBytes);
            break;
          }
          runLog.indexExisting(event.type(), length);
          validBytes += length + 1;
          seq++;
          last = event;
          if (event instanceof TrainingEvent.Epoch e) lastEpoch = e.epoch();
          terminal = RunStates.finalStateOf(event);
          onEvent.accept(event);
        }
      }
      if (Files.size(events) > validBytes) {
        log.warn("Run {}: torn tail of {} bytes dropped", runId, Files.size(events) - validBytes);
        try (FileChannel ch = FileChannel.open(events, StandardOpenOption.WRITE)) {
          ch.truncate(validBytes);
          ch.force(true);
        }
      }
    }
    if (terminal != null) {
      runLog.markRecoveredFinished(terminal);
      if (!terminal.equals(meta.state())) {
        runLog.replaceMeta(
            meta.withState(terminal, meta.endedAt() != null ? meta.endedAt() : last.time()));
      }
      runLog.publishRecovered();
      return runLog;
    }
    // Died while training: mark it interrupted, as the log's final event.
    runLog.attachWriter(
        FileChannel.open(
            events,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.APPEND));
    TrainingEvent.Status interrupted =
        new TrainingEvent.Status(
            runId, runLog.size(), clock.getAsLong(), TrainingEvent.Status.INTERRUPTED, lastEpoch);
    runLog.append(interrupted);
    onEvent.accept(interrupted);
    runLog.close();
    log.info("Run {} was unfinished: marked interrupted after {} events", runId, runLog.size() - 1);
    return runLog;
  }

  /**
   * Writes {@code run.json} atomically (temp file, fsync, rename). When that fails the old file
   * stays and the temporary one is removed.
   */
  void writeMeta(Path dir, RunMeta meta) throws IOException {
    try {
      writeMetaFile(dir, meta);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(dir.resolve(META_FILE + ".tmp"));
      } catch (IOException d) {
        e.addSuppressed(d);
      }
      throw new StorageException(meta.id(), META_FILE, e);
    }
  }

  private void writeMetaFile(Path dir, RunMeta meta) throws IOException {
    ObjectNode node = codec.mapper().createObjectNode();
    node.put("id", meta.id());
    node.put("name", meta.name());
    node.put("state", meta.state());
    node.put("createdAt", meta.createdAt());
    if (meta.endedAt() != null) node.put("endedAt", meta.endedAt());
    if (meta.external()) node.put("external", true);
    if (meta.config() != null) node.set("config", codec.toTree(meta.config()));
    byte[] bytes = codec.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
    Path tmp = dir.resolve(META_FILE + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) ch.write(buf);
      ch.force(true);
    }
    try {
      Files.move(
          tmp,
          dir.resolve(META_FILE),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, dir.resolve(META_FILE), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Reads {@code run.json}. */
  public RunMeta readMeta(Path dir) throws IOException {
    JsonNode node = codec.mapper().readTree(Files.readAllBytes(dir.resolve(META_FILE)));
    String id = node.path("id").asText(dir.getFileName().toString());
    boolean external = node.path("external").asBoolean(false);
    TrainingConfig config = external ? null : codec.decodeConfig(node.path("config"));
    String state = node.path("state").asText(RunStates.INTERRUPTED);
    long createdAt = node.path("createdAt").asLong(0);
    Long endedAt = node.hasNonNull("endedAt") ? node.get("endedAt").asLong() : null;
    String name =
        node.hasNonNull("name")
            ? node.get("name").asText()
            : config != null ? config.name() : "external run";
    return new RunMeta(id, name, config, state, createdAt, endedAt, external);
  }
}
