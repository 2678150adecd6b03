package dev.trainscope.server.runs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainscope.engine.Trainer;
import dev.trainscope.engine.check.InvalidValueException;
import dev.trainscope.server.sweep.SweepPlan;
import dev.trainscope.server.sweep.SweepRecord;
import dev.trainscope.server.sweep.SweepStore;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sweeps known to the server: each a {@link SweepPlan} whose runs were started together and queue
 * on the training pool. A sweep is written to disk before its first run starts and again once all
 * have, and each run records the sweep's id in its own {@code run.json}; so after a crash between
 * the two writes a sweep still finds its runs ({@link #runsOf}).
 */
public final class Sweeps {
  private static final Logger log = LoggerFactory.getLogger(Sweeps.class);

  private final RunManager runs;
  private final SweepStore store;
  private final LongSupplier clock;
  private final Map<String, SweepRecord> sweeps = new ConcurrentHashMap<>();

  public Sweeps(RunManager runs, SweepStore store) {
    this.runs = runs;
    this.store = store;
    this.clock = runs.clock();
  }

  /** Loads every sweep of the store. Call once, at start, after the runs are loaded. */
  public void loadAll() throws IOException {
    for (SweepRecord s : store.loadAll()) sweeps.put(s.id(), s);
    if (!sweeps.isEmpty()) log.info("Loaded {} sweeps", sweeps.size());
  }

  /**
   * Checks every run of the plan against its data set, then stores the sweep and starts its runs in
   * expansion order. Nothing starts unless every run can. Blocking (creates files): call it on the
   * disk scheduler.
   *
   * @param spec the request as given, kept in {@code sweep.json}
   * @throws InvalidValueException naming {@code runs[i]} when a run's config does not fit its data
   */
  public SweepRecord create(String name, SweepPlan plan, JsonNode spec) throws IOException {
    List<SweepPlan.Point> points = plan.points();
    for (int i = 0; i < points.size(); i++) {
      try {
        runs.check(points.get(i).config());
      } catch (InvalidValueException e) {
        throw plan.misfit(i, e);
      }
    }
    SweepRecord sweep = null;
    for (int attempt = 0; sweep == null; attempt++) {
      SweepRecord candidate =
          new SweepRecord(
              Trainer.newRunId(),
              name,
              clock.getAsLong(),
              points.size(),
              plan.varied(),
              spec,
              List.of());
      try {
        store.create(candidate);
        sweep = candidate;
      } catch (FileAlreadyExistsException e) {
        if (attempt > 20) throw e;
      }
    }
    List<String> ids = new ArrayList<>();
    try {
      for (SweepPlan.Point p : points) ids.add(runs.start(p.config(), sweep.id()).id());
    } finally {
      sweep = sweep.withRuns(ids);
      sweeps.put(sweep.id(), sweep);
      store.write(sweep);
    }
    return sweep;
  }

  public Optional<SweepRecord> find(String id) {
    return Optional.ofNullable(sweeps.get(id));
  }

  /** All sweeps, newest first. */
  public List<SweepRecord> list() {
    return sweeps.values().stream()
        .sorted(
            Comparator.comparingLong(SweepRecord::createdAt)
                .thenComparing(SweepRecord::id)
                .reversed())
        .toList();
  }

  /**
   * The sweep's runs: those it recorded, in expansion order, then any other run that names it
   * (started just before a crash kept the sweep from recording it).
   */
  public List<Run> runsOf(SweepRecord sweep) {
    Set<String> ids = new LinkedHashSet<>(sweep.runs());
    List<Run> oldestFirst = new ArrayList<>(runs.list());
    Collections.reverse(oldestFirst);
    for (Run r : oldestFirst) {
      if (sweep.id().equals(r.log().meta().sweep())) ids.add(r.id());
    }
    List<Run> out = new ArrayList<>();
    for (String id : ids) runs.find(id).ifPresent(out::add);
    return out;
  }
}
