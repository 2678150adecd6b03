package dev.trainscope.server.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.server.log.AtomicFile;
import dev.trainscope.server.log.RunMeta;
import dev.trainscope.server.log.RunStates;
import dev.trainscope.server.log.StorageException;
import dev.trainscope.server.runs.Run;
import dev.trainscope.server.runs.RunConflictException;
import dev.trainscope.server.runs.RunManager;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Scheduler;

/**
 * MLflow runs: each an external Trainscope run of kind {@code mlflow}, listed, streamed and
 * compared like any other. Every logged metric is appended to the run's {@code
 * mlflow-metrics.ndjson} before the call is answered (what {@code metrics/get-history} reads back,
 * as logged); the metrics of one step become one {@code epoch} event in the run's log. Params and
 * tags live in {@code mlflow.json}. Every method that writes is blocking: call it on the disk
 * scheduler.
 */
public final class MlflowRuns {
  static final String INFO_FILE = "mlflow.json";
  static final String HISTORY_FILE = "mlflow-metrics.ndjson";
  public static final int MAX_KEY = 250;
  public static final int MAX_PARAM_VALUE = 6000;
  public static final int MAX_TAG_VALUE = 8000;

  public static final String RUNNING = "RUNNING";
  public static final String FINISHED = "FINISHED";
  public static final String FAILED = "FAILED";
  public static final String KILLED = "KILLED";
  public static final List<String> STATUSES =
      List.of(RUNNING, "SCHEDULED", FINISHED, FAILED, KILLED);

  private static final Logger log = LoggerFactory.getLogger(MlflowRuns.class);

  private final RunManager runs;
  private final Experiments experiments;
  private final ObjectMapper mapper;
  private final Scheduler disk;
  private final Duration flushAfter;
  private final Map<String, MlflowRun> byId = new ConcurrentHashMap<>();

  /**
   * @param flushAfter how long a step's metrics wait for more of the same step before they are
   *     written as its {@code epoch} event
   */
  public MlflowRuns(
      RunManager runs, Experiments experiments, ObjectMapper mapper, Duration flushAfter) {
    this.runs = runs;
    this.experiments = experiments;
    this.mapper = mapper;
    this.disk = runs.diskScheduler();
    this.flushAfter = flushAfter;
  }

  /** The server's clock: the time of a metric logged without one. */
  public long now() {
    return runs.clock().getAsLong();
  }

  public Experiments experiments() {
    return experiments;
  }

  /** Reads every MLflow run's {@code mlflow.json} and latest metrics. Call once, at start. */
  public void loadAll() throws IOException {
    experiments.load();
    for (Run run : runs.list()) {
      if (!RunMeta.MLFLOW.equals(run.log().meta().kind())) continue;
      Path dir = dir(run);
      try {
        MlflowRun r =
            new MlflowRun(
                run, mapper.readValue(dir.resolve(INFO_FILE).toFile(), MlflowRun.Info.class));
        for (MlflowRun.Metric m : readHistory(dir, null)) r.observe(m);
        run.setParams(typed(r.info().params()));
        byId.put(run.id(), r);
      } catch (IOException | RuntimeException e) {
        log.warn("MLflow run {} not loaded: {}", run.id(), e.toString());
      }
    }
  }

  public MlflowRun get(String runId) {
    MlflowRun r = byId.get(runId);
    if (r == null) throw MlflowException.notFound("Run '" + runId + "' not found");
    return r;
  }

  public List<MlflowRun> all() {
    List<MlflowRun> out = new ArrayList<>();
    for (Run run : runs.list()) { // newest first
      MlflowRun r = byId.get(run.id());
      if (r != null) out.add(r);
    }
    return out;
  }

  /**
   * At shutdown: writes each run's collected step as its epoch (its metrics are in the history
   * already) and cancels the timers, so no task outlives the server.
   */
  public void close() {
    for (MlflowRun r : byId.values()) {
      synchronized (r) {
        if (r.flushTimer != null) r.flushTimer.dispose();
        try {
          flushNow(r);
        } catch (IOException | RuntimeException e) {
          log.warn("MLflow run {}: cannot write its last step: {}", r.id(), e.toString());
        }
      }
    }
  }

  /** {@code runs/create}: a new external run of kind mlflow, RUNNING. */
  public MlflowRun create(
      String experimentId, String userId, long startTime, String runName, Map<String, String> tags)
      throws IOException {
    String exp =
        experimentId == null || experimentId.isEmpty() ? Experiments.DEFAULT_ID : experimentId;
    if (experiments.get(exp).isEmpty()) {
      throw MlflowException.notFound("Could not find experiment with ID " + exp);
    }
    checkTags(tags);
    String name = runName;
    if (name == null || name.isBlank()) name = tags.get("mlflow.runName");
    Run run =
        runs.createExternal(
            name == null || name.isBlank() ? "mlflow run" : name, null, RunMeta.MLFLOW, Map.of());
    if (name == null || name.isBlank()) name = run.log().meta().name();
    Map<String, String> allTags = new LinkedHashMap<>(tags);
    allTags.put("mlflow.runName", name);
    MlflowRun.Info info =
        new MlflowRun.Info(
            exp,
            userId,
            name,
            RUNNING,
            startTime > 0 ? startTime : runs.clock().getAsLong(),
            null,
            Map.of(),
            allTags);
    MlflowRun r = new MlflowRun(run, info);
    save(r, info);
    byId.put(run.id(), r);
    return r;
  }

  /**
   * {@code runs/log-batch} (and log-metric, log-parameter, set-tag): validates all, then stores
   * params and tags, then appends the metrics to the history, in that order.
   */
  public void log(
      MlflowRun r,
      List<MlflowRun.Metric> metrics,
      Map<String, String> params,
      Map<String, String> tags)
      throws IOException {
    for (MlflowRun.Metric m : metrics) checkKey(m.key(), "metric");
    checkTags(tags);
    params.forEach(
        (k, v) -> {
          checkKey(k, "param");
          if (v.length() > MAX_PARAM_VALUE) {
            throw MlflowException.invalid(
                "Param value '"
                    + k
                    + "' had length "
                    + v.length()
                    + ", which exceeded length limit of "
                    + MAX_PARAM_VALUE);
          }
        });
    synchronized (r) {
      if (!metrics.isEmpty() && (r.run().isFinished() || r.run().log().isFinished())) {
        throw MlflowException.invalid(
            "run "
                + r.id()
                + " has ended ("
                + r.run().state()
                + "): Trainscope takes no more metrics for it");
      }
      MlflowRun.Info info = r.info();
      if (!params.isEmpty() || !tags.isEmpty()) {
        Map<String, String> p = new LinkedHashMap<>(info.params());
        for (Map.Entry<String, String> e : params.entrySet()) {
          String was = p.get(e.getKey());
          if (was != null && !was.equals(e.getValue())) {
            throw MlflowException.invalid(
                "Changing param values is not allowed. Param with key='"
                    + e.getKey()
                    + "' was already logged with value='"
                    + was
                    + "' for run ID='"
                    + r.id()
                    + "'. Attempted logging new value '"
                    + e.getValue()
                    + "'.");
          }
          p.put(e.getKey(), e.getValue());
        }
        Map<String, String> t = new LinkedHashMap<>(info.tags());
        t.putAll(tags);
        MlflowRun.Info next =
            new MlflowRun.Info(
                info.experimentId(),
                info.userId(),
                tags.getOrDefault("mlflow.runName", info.runName()),
                info.status(),
                info.startTime(),
                info.endTime(),
                p,
                t);
        save(r, next);
        r.run().setParams(typed(next.params()));
      }
      if (metrics.isEmpty()) return;
      appendHistory(r, metrics);
      for (MlflowRun.Metric m : metrics) {
        r.observe(m);
        long[] step = new long[1];
        Map<String, Double> done = r.collect(m, step);
        if (done != null) writeEpoch(r, step[0], done);
      }
      rearm(r);
    }
  }

  /** {@code runs/update}: a new status (a final one ends the Trainscope run), end time, name. */
  public MlflowRun.Info update(MlflowRun r, String status, Long endTime, String runName)
      throws IOException {
    if (status != null && !STATUSES.contains(status)) {
      throw MlflowException.invalid(
          "Invalid value "
              + status
              + " for parameter 'status' supplied: one of "
              + STATUSES
              + " required");
    }
    synchronized (r) {
      MlflowRun.Info info = r.info();
      String nextStatus = status == null ? info.status() : status;
      boolean ending =
          !r.run().log().isFinished() && List.of(FINISHED, FAILED, KILLED).contains(nextStatus);
      Long end =
          endTime != null
              ? endTime
              : (ending ? Long.valueOf(runs.clock().getAsLong()) : info.endTime());
      MlflowRun.Info next =
          new MlflowRun.Info(
              info.experimentId(),
              info.userId(),
              runName != null && !runName.isBlank() ? runName : info.runName(),
              nextStatus,
              info.startTime(),
              end,
              info.params(),
              info.tags());
      save(r, next);
      if (ending) {
        flushNow(r);
        end(r, nextStatus);
      }
      return next;
    }
  }

  /** The metric's values as logged, in order of arrival. Blocking (reads the file). */
  public List<MlflowRun.Metric> history(MlflowRun r, String key) throws IOException {
    checkKey(key, "metric");
    synchronized (r) {
      return readHistory(dir(r.run()), key);
    }
  }

  /** The MLflow status of a run: its own, unless Trainscope ended it (interrupted: FAILED). */
  public static String status(MlflowRun r) {
    String s = r.info().status();
    if (!RUNNING.equals(s) || !r.run().isFinished()) return s;
    return switch (r.run().state()) {
      case RunStates.COMPLETED -> FINISHED;
      case RunStates.STOPPED -> KILLED;
      default -> FAILED;
    };
  }

  private void end(MlflowRun r, String status) throws IOException {
    try {
      if (FAILED.equals(status)) {
        runs.appendExternal(
            r.run(),
            seq ->
                List.of(
                    new TrainingEvent.RunFailed(
                        r.id(),
                        seq,
                        runs.clock().getAsLong(),
                        r.run().summary().lastEpoch() == null ? 0 : r.run().summary().lastEpoch(),
                        TrainingEvent.RunFailed.EXTERNAL_FAILURE,
                        "the MLflow run ended FAILED")));
      } else {
        runs.finishExternal(r.run(), KILLED.equals(status));
      }
    } catch (RunConflictException finished) {
      // ended meanwhile (a restart marks it interrupted): nothing more to record
    }
  }

  private void rearm(MlflowRun r) {
    if (r.flushTimer != null) r.flushTimer.dispose();
    r.flushTimer =
        disk.schedule(
            () -> {
              try {
                synchronized (r) {
                  flushNow(r);
                }
              } catch (IOException | RuntimeException e) {
                log.warn("MLflow run {}: cannot write its epoch: {}", r.id(), e.toString());
              }
            },
            flushAfter.toMillis(),
            TimeUnit.MILLISECONDS);
  }

  private void flushNow(MlflowRun r) throws IOException {
    long[] step = new long[1];
    Map<String, Double> done = r.takePending(step);
    if (done != null && !r.run().log().isFinished()) writeEpoch(r, step[0], done);
  }

  private void writeEpoch(MlflowRun r, long step, Map<String, Double> metrics) throws IOException {
    runs.appendExternal(
        r.run(),
        seq -> List.of(MlflowRun.epoch(r.id(), seq, runs.clock().getAsLong(), step, metrics)));
  }

  private void appendHistory(MlflowRun r, List<MlflowRun.Metric> metrics) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (MlflowRun.Metric m : metrics) {
      ObjectNode n = mapper.createObjectNode();
      n.put("key", m.key());
      MlflowValues.put(n, "value", m.value());
      n.put("timestamp", m.timestamp());
      n.put("step", m.step());
      sb.append(mapper.writeValueAsString(n)).append('\n');
    }
    try {
      Files.write(
          dir(r.run()).resolve(HISTORY_FILE),
          sb.toString().getBytes(StandardCharsets.UTF_8),
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND,
          StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new StorageException(r.id(), HISTORY_FILE, e);
    }
  }

  private List<MlflowRun.Metric> readHistory(Path dir, String key) throws IOException {
    Path file = dir.resolve(HISTORY_FILE);
    List<MlflowRun.Metric> out = new ArrayList<>();
    if (!Files.exists(file)) return out;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.isBlank()) continue;
        JsonNode n;
        try {
          n = mapper.readTree(line);
        } catch (IOException torn) {
          continue; // a line cut by a crash was never answered
        }
        if (key != null && !key.equals(n.path("key").asText())) continue;
        out.add(
            new MlflowRun.Metric(
                n.path("key").asText(),
                MlflowValues.number(n.get("value"), "value"),
                n.path("timestamp").asLong(),
                n.path("step").asLong()));
      }
    }
    return out;
  }

  private void save(MlflowRun r, MlflowRun.Info info) throws IOException {
    try {
      AtomicFile.write(
          dir(r.run()), INFO_FILE, mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(info));
    } catch (IOException e) {
      throw new StorageException(r.id(), INFO_FILE, e);
    }
    r.info(info);
  }

  private Path dir(Run run) {
    return runs.store().runsDirectory().resolve(run.id());
  }

  /** MLflow params are strings; the run table compares numbers as numbers. */
  static Map<String, Object> typed(Map<String, String> params) {
    Map<String, Object> out = new LinkedHashMap<>();
    params.forEach((k, v) -> out.put(k, number(v).<Object>map(d -> d).orElse(v)));
    return out;
  }

  private static Optional<Double> number(String v) {
    try {
      double d = Double.parseDouble(v.strip());
      return Double.isFinite(d) && !v.isBlank() ? Optional.of(d) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static void checkKey(String key, String what) {
    if (key == null || key.isEmpty()) {
      throw MlflowException.invalid("Missing value for required parameter 'key'.");
    }
    if (key.length() > MAX_KEY) {
      throw MlflowException.invalid(
          what
              + " name '"
              + key.substring(0, 40)
              + "...' had length "
              + key.length()
              + ", which exceeded length limit of "
              + MAX_KEY);
    }
  }

  private static void checkTags(Map<String, String> tags) {
    tags.forEach(
        (k, v) -> {
          checkKey(k, "tag");
          if (v.length() > MAX_TAG_VALUE) {
            throw MlflowException.invalid(
                "Tag value '"
                    + k
                    + "' had length "
                    + v.length()
                    + ", which exceeded length limit of "
                    + MAX_TAG_VALUE);
          }
        });
  }
}
