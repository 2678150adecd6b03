package dev.trainscope.server.runs;

import dev.trainscope.engine.RunControl;
import dev.trainscope.engine.Trainer;
import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.engine.data.Dataset;
import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.server.log.EventLog;
import dev.trainscope.server.log.LogLine;
import dev.trainscope.server.log.LogStore;
import dev.trainscope.server.log.RunMeta;
import dev.trainscope.server.log.RunStates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Starts, controls and serves runs. Training runs on a bounded pool ({@code trainscope-train}, runs
 * beyond its size wait as {@code queued}). A {@link LogAppender} on the log-writer pool ({@code
 * trainscope-log-writer}) appends every event to the run's {@link EventLog} and tells readers once
 * per burst; training waits only if the writer falls {@value LogAppender#IN_FLIGHT} events behind,
 * never for HTTP clients.
 *
 * <p>Streams are readers of the log: {@link #lines} pulls events at the subscriber's demand, woken
 * by the log's "size grew" signal. A subscriber that keeps up takes the new lines from the log's
 * memory on the writer's thread; one that has fallen behind reads the file on the disk pool ({@code
 * trainscope-disk}). Either way a slow subscriber costs a file handle and a cursor, never a growing
 * buffer.
 */
public final class RunManager implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RunManager.class);

  private final LogStore store;
  private final Scheduler trainPool;
  private final Scheduler disk;

  /** Log writers get their own threads, so readers' backlogs never delay an append. */
  private final Scheduler writers;

  private final Trainer trainer;
  private final LongSupplier clock;
  private final Map<String, Run> runs = new ConcurrentHashMap<>();
  private final Map<String, Disposable> training = new ConcurrentHashMap<>();
  private final Sinks.Many<Run> created = Sinks.many().multicast().directBestEffort();
  private final AtomicLong eventsEmitted = new AtomicLong();
  private final LogReaders readers;
  private final RunFailures failures;
  private volatile boolean closing;

  /** Where runs find uploaded data sets by name; null: built-in ones only. */
  private volatile DatasetStore datasets;

  public void useDatasets(DatasetStore store) {
    this.datasets = store;
  }

  public DatasetStore datasets() {
    return datasets;
  }

  public RunManager(LogStore store, int trainingPoolSize) {
    this(store, trainingPoolSize, System::currentTimeMillis);
  }

  public RunManager(LogStore store, int trainingPoolSize, LongSupplier clock) {
    this.store = store;
    this.clock = clock;
    this.trainPool =
        Schedulers.newBoundedElastic(trainingPoolSize, 100_000, "trainscope-train", 60, true);
    this.disk =
        Schedulers.newBoundedElastic(
            Math.max(4, Runtime.getRuntime().availableProcessors()),
            100_000,
            "trainscope-disk",
            60,
            true);
    this.writers =
        Schedulers.newBoundedElastic(
            Math.max(2, trainingPoolSize), 100_000, "trainscope-log-writer", 60, true);
    this.trainer = new Trainer(trainPool, clock);
    this.readers = new LogReaders(disk, created.asFlux(), runs::values);
    this.failures =
        new RunFailures(disk, clock, (id, runLog) -> finished(id, runLog, RunStates.FAILED));
  }

  /** Loads every run of the store (marking unfinished ones interrupted). Call once, at start. */
  public void loadAll() throws IOException {
    for (String id : store.runIds()) {
      try {
        // A run another instance writes goes on after loading: later events reach the Run too.
        LateObserver observer = new LateObserver();
        EventLog runLog = store.load(id, observer);
        Run run = new Run(runLog, null, RunStates.RUNNING, clock);
        observer.observeWith(run);
        if (!run.isFinished() && runLog.isFinished()) run.setState(runLog.finalState());
        runs.put(id, run);
      } catch (IOException | RuntimeException e) {
        log.warn("Run {} not loaded: {}", id, e.toString());
      }
    }
    store.onRunsCreatedElsewhere(
        runLog -> {
          LateObserver observer = new LateObserver();
          Run run = new Run(runLog, null, runLog.meta().state(), clock);
          observer.observeWith(run);
          runs.put(run.id(), run);
          emitCreated(run);
          return observer;
        });
    log.info("Loaded {} runs from {}", runs.size(), store.location());
  }

  /** New runs come from HTTP threads and, with Kafka, from other instances: one at a time. */
  private void emitCreated(Run run) {
    synchronized (created) {
      created.tryEmitNext(run);
    }
  }

  public Scheduler diskScheduler() {
    return disk;
  }

  public LogStore store() {
    return store;
  }

  /** Events emitted by training since the server started. */
  public long eventsEmitted() {
    return eventsEmitted.get();
  }

  public long countInState(String state) {
    return runs.values().stream().filter(r -> state.equals(r.state())).count();
  }

  /**
   * Validates the config against its data set and starts the run at once (it waits as {@code
   * queued} for a training thread). Blocking (creates files): call it on the disk scheduler.
   *
   * @throws dev.trainscope.engine.check.InvalidValueException when the config does not fit
   */
  public Run start(TrainingConfig requested) throws IOException {
    return start(requested, null);
  }

  /**
   * Checks that a config fits its data set, as {@link #start} would, without starting anything.
   *
   * @throws dev.trainscope.engine.check.InvalidValueException when it does not
   */
  public void check(TrainingConfig requested) {
    Trainer.fit(requested, dataset(requested));
  }

  /** The config's data set: an uploaded one by name, else the engine's built-in one. */
  private Dataset dataset(TrainingConfig requested) {
    DatasetStore sets = datasets;
    return sets != null ? sets.resolve(requested) : Trainer.loadDataset(requested);
  }

  /** As {@link #start(TrainingConfig)}, a run of the sweep {@code sweep} (or of none, null). */
  public Run start(TrainingConfig requested, String sweep) throws IOException {
    Dataset dataset = dataset(requested);
    TrainingConfig config = Trainer.fit(requested, dataset);
    EventLog runLog = null;
    String id = null;
    for (int attempt = 0; runLog == null; attempt++) {
      id = Trainer.newRunId();
      try {
        runLog =
            store.create(
                RunMeta.trained(
                    id, config, RunStates.QUEUED, clock.getAsLong(), RunMeta.ENGINE, sweep));
      } catch (FileAlreadyExistsException e) {
        if (attempt > 20) throw e;
      }
    }
    RunControl control = new RunControl();
    Run run = new Run(runLog, control, RunStates.QUEUED, clock);
    runs.put(id, run);
    emitCreated(run);
    String runId = id;
    EventLog target = runLog;
    LogAppender subscription =
        new LogAppender(
            writers,
            new LogAppender.Target() {
              @Override
              public void write(TrainingEvent event) {
                record(run, target, event);
              }

              @Override
              public void publish() {
                try {
                  target.publish();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              }

              @Override
              public void failed(Throwable error) {
                RunManager.this.failed(run, target, error);
              }

              @Override
              public void completed() {
                finished(runId, target);
              }
            });
    trainer.train(id, config, dataset, control).subscribe(subscription);
    training.put(id, subscription);
    if (run.isFinished()) training.remove(id);
    return run;
  }

  /**
   * Creates an external run: a trainer in another process pushes its events ({@link
   * #appendExternal}). Its log starts with a {@code run-started} the server writes ({@code config}
   * and {@code dataset} null, the given model or an empty one); it is {@code running} until a
   * terminal event or {@link #finishExternal}. Blocking (creates files): call it on the disk
   * scheduler.
   */
  public Run createExternal(String name, TrainingEvent.ModelInfo model) throws IOException {
    return createExternal(name, model, RunMeta.PUSHED, Map.of());
  }

  /**
   * As {@link #createExternal(String, TrainingEvent.ModelInfo)}, of a kind ({@link RunMeta#PUSHED}
   * or {@link RunMeta#KERAS}), with the hyperparameters its trainer sent (recorded in {@code
   * run.json}).
   */
  public Run createExternal(
      String name, TrainingEvent.ModelInfo model, String kind, Map<String, Object> params)
      throws IOException {
    return createExternal(name, model, kind, params, false);
  }

  /**
   * As {@link #createExternal(String, TrainingEvent.ModelInfo, String, Map)}; a {@code
   * controllable} run takes pause, resume and stop requests ({@link #control}) that its trainer
   * reads from push responses or the control stream.
   */
  public Run createExternal(
      String name,
      TrainingEvent.ModelInfo model,
      String kind,
      Map<String, Object> params,
      boolean controllable)
      throws IOException {
    if (closing) throw new RunConflictException("the server is shutting down");
    String runName = name == null || name.isBlank() ? "external run" : name.strip();
    EventLog runLog = null;
    String id = null;
    for (int attempt = 0; runLog == null; attempt++) {
      id = Trainer.newRunId();
      try {
        runLog = store.create(RunMeta.external(id, runName, clock.getAsLong(), kind, params));
      } catch (FileAlreadyExistsException e) {
        if (attempt > 20) throw e;
      }
    }
    Run run = new Run(runLog, null, RunStates.RUNNING, clock, controllable);
    TrainingEvent started =
        new TrainingEvent.RunStarted(
            id,
            0,
            clock.getAsLong(),
            null,
            model != null ? model : new TrainingEvent.ModelInfo(0, List.of(), 0, null),
            null);
    try {
      runLog.writeThrough(List.of(started));
    } catch (IOException | RuntimeException e) {
      store.discard(runLog); // not acknowledged: nothing of it stays
      throw e;
    }
    run.observe(started);
    runs.put(id, run);
    emitCreated(run);
    return run;
  }

  /**
   * Appends a batch of events to an external run, atomically with respect to other pushes to the
   * same run: {@code build} gets the seq of the batch's first event and returns the validated
   * events (it may throw, and then nothing is stored). A terminal event finishes the run and closes
   * its log. Blocking (writes the log): call it on the disk scheduler.
   *
   * @throws RunConflictException when the run is not external or has finished
   */
  public List<TrainingEvent> appendExternal(
      Run run, java.util.function.LongFunction<List<TrainingEvent>> build) throws IOException {
    synchronized (run.pushLock()) {
      requireOpenExternal(run);
      EventLog runLog = run.log();
      List<TrainingEvent> events = build.apply(runLog.size());
      long seq = runLog.size();
      for (int i = 0; i < events.size(); i++) {
        TrainingEvent e = events.get(i);
        if (e.seq() != seq + i
            || !run.id().equals(e.runId())
            || (e.isTerminal() && i < events.size() - 1)) {
          throw new IllegalArgumentException(
              "batch out of sequence at " + e.type() + " " + e.seq());
        }
      }
      // Through to the OS before the answer, and as one burst to subscribers.
      runLog.writeThrough(events);
      events.forEach(run::observe);
      if (runLog.isFinished()) finished(run.id(), runLog);
      return events;
    }
  }

  /**
   * Ends an external run normally: appends a {@code run-completed} with the last epoch's figures
   * and closes its log. Blocking: call it on the disk scheduler.
   *
   * @throws RunConflictException when the run is not external or has finished
   */
  public Run finishExternal(Run run) throws IOException {
    return finishExternal(run, Run.STOP.equals(run.controlRequest()));
  }

  /** As {@link #finishExternal(Run)}; {@code stopped}: the trainer was stopped before its end. */
  public Run finishExternal(Run run, boolean stopped) throws IOException {
    appendExternal(
        run,
        seq -> {
          Double[] m = run.lastMetrics();
          long now = clock.getAsLong();
          return List.of(
              new TrainingEvent.RunCompleted(
                  run.id(),
                  seq,
                  now,
                  run.lastEpochOrZero(),
                  m[0],
                  m[1],
                  m[2],
                  m[3],
                  null,
                  null,
                  null,
                  Math.max(0, now - run.log().meta().createdAt()),
                  stopped));
        });
    return run;
  }

  private void requireOpenExternal(Run run) {
    requireWrittenHere(run);
    if (!run.isExternal()) {
      throw new RunConflictException(
          "run "
              + run.id()
              + " is trained by this server; events can only be pushed to external runs");
    }
    if (run.isFinished() || run.log().isFinished()) {
      throw new RunConflictException(
          "run " + run.id() + " has finished (" + run.state() + "); it takes no more events");
    }
    if (closing) throw new RunConflictException("the server is shutting down");
  }

  /** A run another instance writes takes pushes and controls there (409 naming it). */
  static void requireWrittenHere(Run run) {
    String owner = run.log().writtenElsewhere();
    if (owner != null) {
      throw new RunConflictException(
          "run " + run.id() + " is written by the instance at " + owner + "; send this there");
    }
  }

  public LongSupplier clock() {
    return clock;
  }

  private void record(Run run, EventLog runLog, TrainingEvent event) {
    eventsEmitted.incrementAndGet();
    try {
      runLog.write(event);
    } catch (IOException e) {
      if (closing) return; // shutting down: the log was closed under the writer

      throw new UncheckedIOException(e);
    }
    run.observe(event);
  }

  private void failed(Run run, EventLog runLog, Throwable error) {
    if (closing) return;
    training.remove(run.id());
    failures.failed(run, runLog, error);
  }

  private void finished(String id, EventLog runLog) {
    finished(id, runLog, RunStates.INTERRUPTED);
  }

  private void finished(String id, EventLog runLog, String unfinishedState) {
    training.remove(id);
    try {
      runLog.close(unfinishedState);
    } catch (IOException e) {
      log.warn("Run {}: cannot close its log: {}", id, e.toString());
    }
  }

  public Optional<Run> find(String id) {
    return Optional.ofNullable(runs.get(id));
  }

  /** All runs, newest first. */
  public List<Run> list() {
    return runs.values().stream()
        .sorted(
            Comparator.comparingLong((Run r) -> r.log().meta().createdAt())
                .thenComparing(Run::id)
                .reversed())
        .toList();
  }

  /**
   * A control action; returns false when the run has already finished. Blocking for an external run
   * (the request is appended to its log as a {@code status} event): call it on the disk scheduler.
   *
   * @throws RunConflictException for an external run that is not controllable (its trainer controls
   *     it), and for {@code step} on an external run
   */
  public boolean control(Run run, String action) throws IOException {
    requireWrittenHere(run);
    return run.isExternal()
        ? RunControls.external(this, run, action)
        : RunControls.engine(run, action);
  }

  /**
   * The run's events with seq >= {@code from} (optionally only the given types), read from its log
   * at the subscriber's demand: first what is stored, then each new event as it is appended;
   * completes after the last event of a finished run. See {@link LogReaders}.
   */
  public Flux<LogLine> lines(Run run, long from, Set<String> types) {
    return readers.lines(run, from, types, Long.MAX_VALUE);
  }

  /** As {@link #lines(Run, long, Set)}, ending before seq {@code until}. */
  public Flux<LogLine> lines(Run run, long from, Set<String> types, long until) {
    return readers.lines(run, from, types, until);
  }

  static final int BATCH_BYTES = LogReaders.BATCH_BYTES;

  /** As {@link #lines(Run, long, Set, long)}, in batches of events available together. */
  public Flux<List<LogLine>> batches(Run run, long from, Set<String> types, long until) {
    return readers.batches(run, from, types, until);
  }

  /** Every run's events of the given types from now on (see {@link LogReaders#allBatches}). */
  public Flux<List<LogLine>> allBatches(Set<String> types) {
    return readers.allBatches(types);
  }

  /** Stops accepting work: cancels training and closes every open log. */
  @Override
  public void close() {
    closing = true;
    training.forEach(
        (id, subscription) -> {
          subscription.dispose();
          Run run = runs.get(id);
          if (run != null) {
            try {
              run.log().close();
            } catch (IOException e) {
              log.warn("Run {}: cannot close its log", id, e);
            }
          }
        });
    training.clear();
    for (Run run : runs.values()) {
      if (!run.isExternal()) continue;
      synchronized (run.pushLock()) {
        try {
          run.log().close(); // no terminal event: recorded interrupted, as after a crash
        } catch (IOException e) {
          log.warn("Run {}: cannot close its log", run.id(), e);
        }
      }
    }
    failures.close();
    created.tryEmitComplete();
    // Gracefully: a plain dispose interrupts running tasks, and an interrupted FileChannel closes
    // itself, so a writer that was recording a run's final state would lose it.
    Mono.when(trainPool.disposeGracefully(), disk.disposeGracefully(), writers.disposeGracefully())
        .timeout(SHUTDOWN_GRACE)
        .onErrorResume(
            e -> {
              log.warn("Threads still busy after {}; stopping them", SHUTDOWN_GRACE);
              trainPool.dispose();
              disk.dispose();
              writers.dispose();
              return Mono.empty();
            })
        .block();
    store.close(); // after the logs: a Kafka log's last writes need its producer
  }

  /** How long {@link #close()} waits for running tasks (an epoch, a log write) to end. */
  static final java.time.Duration SHUTDOWN_GRACE = java.time.Duration.ofSeconds(10);
}
