package dev.trainscope.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainscope.engine.RunControl;
import dev.trainscope.engine.Trainer;
import dev.trainscope.engine.check.InvalidValueException;
import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.engine.data.Dataset;
import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.server.json.EventCodec;
import dev.trainscope.server.log.RunLog;
import dev.trainscope.server.log.RunMeta;
import dev.trainscope.server.log.RunStates;
import dev.trainscope.server.log.RunStore;
import dev.trainscope.server.sweep.SweepPlan;
import dev.trainscope.server.sweep.SweepRecord;
import dev.trainscope.server.sweep.SweepSpec;
import dev.trainscope.server.sweep.SweepStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code train --sweep FILE}: the runs of a sweep, headless, {@code parallel} at a time, each
 * logged as {@code train} logs one run and the sweep stored as the server stores it (a later {@code
 * serve} shows both); one line per finished run, then the results sorted by a metric.
 */
final class HeadlessSweep {
  /** The metric the results are sorted by: its best value over the epochs, lower or higher. */
  enum Metric {
    LOSS("loss", true),
    ACCURACY("accuracy", false),
    VAL_LOSS("val_loss", true),
    VAL_ACCURACY("val_accuracy", false);

    final String label;
    final boolean lowerIsBetter;

    Metric(String label, boolean lowerIsBetter) {
      this.label = label;
      this.lowerIsBetter = lowerIsBetter;
    }

    static Metric of(String name) {
      String n = name.strip().toLowerCase(Locale.ROOT);
      n = n.equals("acc") ? "accuracy" : n.equals("val_acc") ? "val_accuracy" : n;
      for (Metric m : values()) if (m.label.equals(n)) return m;
      throw new InvalidValueException(
          "metric",
          "--metric one of loss, accuracy, val_loss, val_accuracy required but was \""
              + name
              + "\"");
    }

    Double of(TrainingEvent.Epoch e) {
      return switch (this) {
        case LOSS -> e.loss();
        case ACCURACY -> e.accuracy();
        case VAL_LOSS -> e.valLoss();
        case VAL_ACCURACY -> e.valAccuracy();
      };
    }
  }

  /** One run's outcome: its last epoch's figures and the best of the metric, with its epoch. */
  record Result(
      int index,
      String runId,
      String name,
      String state,
      TrainingEvent.Epoch last,
      Double best,
      int bestEpoch,
      long millis) {}

  private final EventCodec codec;
  private final Path dataDir;
  private final Metric metric;
  private final PrintWriter out;
  private final List<RunControl> controls = new ArrayList<>();

  HeadlessSweep(EventCodec codec, Path dataDir, Metric metric, PrintWriter out) {
    this.codec = codec;
    this.dataDir = dataDir;
    this.metric = metric;
    this.out = out;
  }

  /**
   * The sweep of {@code request}, its base overridden by {@code overrides} (the command's flags),
   * expanded and checked against its data sets before anything is written.
   */
  static SweepSpec spec(JsonNode request, ObjectNode overrides) {
    if (request instanceof ObjectNode o && !overrides.isEmpty()) {
      ObjectNode copy = o.deepCopy();
      ObjectNode base = copy.get("base") instanceof ObjectNode b ? b : copy.putObject("base");
      base.setAll(overrides);
      return SweepSpec.parse(copy);
    }
    return SweepSpec.parse(request);
  }

  /** A run of the sweep with its config fitted to its data set. */
  record Fitted(SweepPlan.Point point, TrainingConfig config, Dataset data) {}

  /** Fits each run's config to its data set, before anything is written; a misfit names the run. */
  static List<Fitted> fit(SweepPlan plan) {
    List<Fitted> out = new ArrayList<>();
    for (int i = 0; i < plan.points().size(); i++) {
      SweepPlan.Point p = plan.points().get(i);
      try {
        Dataset d = Trainer.loadDataset(p.config());
        out.add(new Fitted(p, Trainer.fit(p.config(), d), d));
      } catch (InvalidValueException e) {
        throw plan.misfit(i, e);
      }
    }
    return out;
  }

  /** Stores the sweep, trains its runs and returns their results in expansion order. */
  List<Result> run(String name, SweepPlan plan, List<Fitted> fitted, JsonNode request, int parallel)
      throws IOException, InterruptedException {
    RunStore runs = new RunStore(dataDir, codec);
    SweepStore sweeps = new SweepStore(dataDir, codec.mapper());
    SweepRecord sweep =
        new SweepRecord(
            Trainer.newRunId(),
            name,
            System.currentTimeMillis(),
            plan.points().size(),
            plan.varied(),
            request,
            List.of());
    sweeps.create(sweep);
    List<String> ids = new ArrayList<>();
    List<RunLog> logs = new ArrayList<>();
    for (Fitted f : fitted) {
      String id = Trainer.newRunId();
      while (ids.contains(id)) id = Trainer.newRunId();
      logs.add(runs.create(id, f.config(), RunStates.QUEUED, RunMeta.HEADLESS, sweep.id()));
      ids.add(id);
      synchronized (controls) {
        controls.add(new RunControl());
      }
    }
    sweeps.write(sweep.withRuns(ids));
    out.printf("Sweep %s (%s): %d runs, %d at a time%n", name, sweep.id(), ids.size(), parallel);
    out.flush();

    AtomicInteger done = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, parallel));
    List<Future<Result>> futures = new ArrayList<>();
    try {
      for (int i = 0; i < ids.size(); i++) {
        int index = i;
        futures.add(
            pool.submit(
                () -> {
                  Result r = train(index, fitted.get(index), logs.get(index));
                  report(r, done.incrementAndGet(), ids.size());
                  return r;
                }));
      }
      List<Result> results = new ArrayList<>();
      for (Future<Result> f : futures) {
        try {
          results.add(f.get());
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IOException(e.getCause().getMessage(), e.getCause());
        }
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Asks every run to stop (a signal): each ends at its epoch's end and closes its log. */
  void stopAll() {
    synchronized (controls) {
      controls.forEach(RunControl::stop);
    }
  }

  private Result train(int index, Fitted run, RunLog log) throws IOException {
    RunControl control;
    synchronized (controls) {
      control = controls.get(index);
    }
    long start = System.nanoTime();
    TrainingEvent.Epoch last = null;
    Double best = null;
    int bestEpoch = 0;
    String state = RunStates.RUNNING;
    try (log) {
      for (TrainingEvent event :
          Trainer.standard()
              .train(log.meta().id(), run.config(), run.data(), control)
              .toIterable(256)) {
        log.append(event);
        if (event instanceof TrainingEvent.Epoch e) {
          last = e;
          Double v = metric.of(e);
          if (v != null && !v.isNaN() && (best == null || better(v, best))) {
            best = v;
            bestEpoch = e.epoch();
          }
        } else if (event instanceof TrainingEvent.RunCompleted c) {
          state = c.stopped() ? RunStates.STOPPED : RunStates.COMPLETED;
        } else if (event instanceof TrainingEvent.RunFailed) {
          state = RunStates.FAILED;
        }
      }
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    return new Result(
        index, log.meta().id(), run.point().name(), state, last, best, bestEpoch, millis);
  }

  private boolean better(double v, double best) {
    return metric.lowerIsBetter ? v < best : v > best;
  }

  private synchronized void report(Result r, int done, int of) {
    out.printf(
        Locale.ROOT,
        "[%d/%d] %-28s %-9s best %s %s (epoch %d)  %.1f s%n",
        done,
        of,
        r.name(),
        r.state(),
        metric.label,
        num(r.best()),
        r.bestEpoch(),
        r.millis() / 1000.0);
    out.flush();
  }

  /** The results table, best first by the metric; runs without it last. */
  void table(List<Result> results) {
    Comparator<Result> byBest =
        Comparator.comparing(
            Result::best,
            Comparator.nullsLast(
                metric.lowerIsBetter
                    ? Comparator.<Double>naturalOrder()
                    : Comparator.<Double>reverseOrder()));
    List<Result> sorted = results.stream().sorted(byBest.thenComparing(Result::index)).toList();
    out.println();
    out.printf("Results, best %s first:%n", metric.label);
    String row = "%-4s %-28s %-9s %10s %5s %9s %8s %9s %8s %8s  %s%n";
    out.printf(
        Locale.ROOT,
        row,
        "rank",
        "run",
        "state",
        "best",
        "epoch",
        "loss",
        "acc",
        "val_loss",
        "val_acc",
        "time",
        "id");
    int rank = 1;
    for (Result r : sorted) {
      TrainingEvent.Epoch e = r.last();
      out.printf(
          Locale.ROOT,
          row,
          rank++,
          r.name(),
          r.state(),
          num(r.best()),
          r.best() == null ? "" : Integer.toString(r.bestEpoch()),
          num(e == null ? null : e.loss()),
          pct(e == null ? null : e.accuracy()),
          num(e == null ? null : e.valLoss()),
          pct(e == null ? null : e.valAccuracy()),
          String.format(Locale.ROOT, "%.1fs", r.millis() / 1000.0),
          r.runId());
    }
    out.flush();
  }

  private static String num(Double v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%.4f", v);
  }

  private static String pct(Double v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%.1f%%", v * 100);
  }
}
