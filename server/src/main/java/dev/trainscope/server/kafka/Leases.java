package dev.trainscope.server.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Who is alive among the instances on one cluster. Each instance heartbeats into the runs topic
 * (key {@code @instance <id>}) every third of its lease; another one that has heard nothing from it
 * for a whole lease, measured on its own clock (so the machines' clocks need not agree), takes it
 * for dead. The id is new with every process: a restarted instance does not inherit the runs its
 * previous life left unfinished; they are marked interrupted like any dead instance's.
 */
final class Leases implements AutoCloseable {
  static final String KEY_PREFIX = "@instance ";

  private final String self = UUID.randomUUID().toString();
  private final long leaseNanos;
  private final Map<String, Long> heardAt = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "trainscope-kafka-lease");
            t.setDaemon(true);
            return t;
          });

  Leases(Duration lease, Consumer<String> heartbeat, Runnable check) {
    this.leaseNanos = lease.toNanos();
    long every = Math.max(1, lease.toMillis() / 3);
    timer.scheduleAtFixedRate(() -> heartbeat.accept(self), 0, every, TimeUnit.MILLISECONDS);
    timer.scheduleAtFixedRate(check, lease.toMillis(), every, TimeUnit.MILLISECONDS);
  }

  String self() {
    return self;
  }

  void heard(String instance) {
    heardAt.put(instance, System.nanoTime());
  }

  boolean isAlive(String instance) {
    if (self.equals(instance)) return true;
    Long at = heardAt.get(instance);
    return at != null && System.nanoTime() - at < leaseNanos;
  }

  /**
   * Of the live instances, the one with the least id marks the dead ones' runs, so no two write the
   * same interrupted status into a run's topic.
   */
  boolean isReaper() {
    for (String other : heardAt.keySet()) {
      if (other.compareTo(self) < 0 && isAlive(other)) return false;
    }
    return true;
  }

  /** Stops heartbeating at once, as a killed process would (tests use it for kill -9). */
  void halt() {
    timer.shutdownNow();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
