package dev.trainscope.server.remote;

import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.server.log.RunMeta;
import dev.trainscope.server.runs.Run;
import dev.trainscope.server.runs.RunConflictException;
import dev.trainscope.server.runs.RunManager;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * Groups the epochs Keras' {@code RemoteMonitor} posts into runs: one external run per client
 * (remote host and User-Agent) until an {@code epoch} of 0 arrives, or the client was silent for
 * longer than the gap; then its run is finished ({@code run-completed} with the last figures) and a
 * new one starts. Non-finite metrics are kept in the epoch's {@code metrics} and flagged by an
 * {@code insight} (warning, {@code non-finite-metric}). Blocking (writes logs): call {@link
 * #accept} and {@link #finishIdle} on the disk scheduler, and sweep on it ({@link #sweepOn}).
 */
public final class KerasSessions {
  public static final String NON_FINITE = "non-finite-metric";
  private static final Logger log = LoggerFactory.getLogger(KerasSessions.class);

  private final RunManager runs;
  private final long gapMillis;
  private final LongSupplier clock;
  private final int maxSessions;
  private final Map<String, Session> sessions = new HashMap<>(); // guarded by this

  private static final class Session {
    final Run run;
    long lastEpochAt;

    Session(Run run, long at) {
      this.run = run;
      this.lastEpochAt = at;
    }
  }

  /** Where an epoch went: the run and the seq of its {@code epoch} event. */
  public record Accepted(String run, long seq) {}

  public KerasSessions(RunManager runs, Duration gap, LongSupplier clock) {
    this(runs, gap, clock, Integer.MAX_VALUE);
  }

  /**
   * @param maxSessions clients followed at once: each new User-Agent would otherwise keep a run
   *     open for the whole gap. A new client beyond it completes the run of the one silent the
   *     longest.
   */
  public KerasSessions(RunManager runs, Duration gap, LongSupplier clock, int maxSessions) {
    this.runs = runs;
    this.gapMillis = gap.toMillis();
    this.clock = clock;
    this.maxSessions = maxSessions;
  }

  /** Clients followed now. */
  public synchronized int size() {
    return sessions.size();
  }

  /** The client key: remote host and User-Agent. */
  public static String client(String host, String userAgent) {
    return host + "|" + (userAgent == null ? "" : userAgent);
  }

  /** The name of a client's run, e.g. {@code Keras run from 127.0.0.1 (python-requests/2.31.0)}. */
  public static String runName(String host, String userAgent) {
    String ua = userAgent == null || userAgent.isBlank() ? "" : " (" + userAgent.strip() + ")";
    return "Keras run from " + host + ua;
  }

  /** Records one epoch of a client, in its current run or a new one. */
  public Accepted accept(String host, String userAgent, KerasEpoch epoch) throws IOException {
    String key = client(host, userAgent);
    long now = clock.getAsLong();
    synchronized (this) {
      Session s = sessions.get(key);
      boolean fresh =
          s == null || s.run.isFinished() || epoch.epoch() == 0 || now - s.lastEpochAt > gapMillis;
      if (fresh) {
        if (s != null) finishQuietly(s.run);
        else if (sessions.size() >= maxSessions) finishLongestSilent();
        s =
            new Session(
                runs.createExternal(runName(host, userAgent), null, RunMeta.KERAS, Map.of()), now);
        sessions.put(key, s);
      }
      s.lastEpochAt = now;
      Run run = s.run;
      List<TrainingEvent> events =
          runs.appendExternal(
              run,
              seq -> {
                List<TrainingEvent> out = new ArrayList<>(2);
                out.add(epoch.toEvent(run.id(), seq, now));
                if (!epoch.nonFinite().isEmpty()) {
                  out.add(
                      new TrainingEvent.Insight(
                          run.id(),
                          seq + 1,
                          now,
                          epoch.epoch() + 1,
                          "warning",
                          NON_FINITE,
                          nonFiniteMessage(epoch),
                          null));
                }
                return out;
              });
      return new Accepted(run.id(), events.get(0).seq());
    }
  }

  /**
   * Calls {@link #finishIdle} every {@link #sweepInterval()} on {@code scheduler} until the
   * returned handle is disposed (by the server, when it closes).
   */
  public Disposable sweepOn(Scheduler scheduler) {
    long every = sweepInterval().toMillis();
    return scheduler.schedulePeriodically(this::finishIdle, every, every, TimeUnit.MILLISECONDS);
  }

  /** The gap, but at least a second and at most a minute: a silent client's run ends that late. */
  Duration sweepInterval() {
    return Duration.ofMillis(Math.max(1000, Math.min(60_000, gapMillis)));
  }

  /** Finishes the runs of clients silent for longer than the gap; returns how many. */
  public synchronized int finishIdle() {
    long now = clock.getAsLong();
    int n = 0;
    var it = sessions.values().iterator();
    while (it.hasNext()) {
      Session s = it.next();
      if (s.run.isFinished()) {
        it.remove();
      } else if (now - s.lastEpochAt > gapMillis) {
        finishQuietly(s.run);
        it.remove();
        n++;
      }
    }
    return n;
  }

  private void finishLongestSilent() {
    String quietest = null;
    long at = Long.MAX_VALUE;
    for (Map.Entry<String, Session> e : sessions.entrySet()) {
      if (e.getValue().lastEpochAt < at) {
        at = e.getValue().lastEpochAt;
        quietest = e.getKey();
      }
    }
    if (quietest != null) finishQuietly(sessions.remove(quietest).run);
  }

  static String nonFiniteMessage(KerasEpoch epoch) {
    StringBuilder sb = new StringBuilder();
    for (String name : epoch.nonFinite()) {
      if (sb.length() > 0) sb.append(", ");
      sb.append(name).append(" = ").append(PythonFloat.repr(epoch.metrics().get(name)));
    }
    return String.format(
        Locale.ROOT,
        "Epoch %d reported non-finite %s: %s. Training has probably diverged; try a lower learning rate.",
        epoch.epoch() + 1,
        epoch.nonFinite().size() == 1 ? "metric" : "metrics",
        sb);
  }

  private void finishQuietly(Run run) {
    try {
      runs.finishExternal(run);
    } catch (RunConflictException e) {
      // already finished
    } catch (IOException | RuntimeException e) {
      log.warn("Keras run {}: cannot finish it: {}", run.id(), e.toString());
    }
  }
}
