package dev.trainscope.engine;

import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Controls a training run from any thread: pause, resume, step one epoch while paused, stop.
 * Requests take effect at the next epoch boundary. A control may be created before the run's Flux
 * is subscribed (a run can start paused) and applies to every subscription of that Flux.
 */
public final class RunControl {
  private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean paused;
  private volatile boolean stopRequested;
  private int steps;
  private final java.util.concurrent.ConcurrentLinkedQueue<WeightEdit> edits =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final java.util.concurrent.atomic.AtomicReference<ProbeChoice> probe =
      new java.util.concurrent.atomic.AtomicReference<>();

  public void pause() {
    paused = true;
    changed();
  }

  public void resume() {
    synchronized (this) {
      steps = 0;
    }
    paused = false;
    changed();
  }

  /** While paused, lets exactly one more epoch run; ignored when not paused. */
  public void step() {
    synchronized (this) {
      if (paused) steps++;
    }
    changed();
  }

  public void stop() {
    stopRequested = true;
    changed();
  }

  /**
   * Queues a hand edit of one parameter; the run applies it at its next epoch boundary (also while
   * paused, without training), never while a batch trains.
   */
  public void editWeight(WeightEdit edit) {
    edits.add(java.util.Objects.requireNonNull(edit));
    changed();
  }

  /**
   * Asks for a new probe; the run traces it at its next epoch boundary (also while paused, without
   * training). Of several choices before that boundary, the last one wins.
   */
  public void chooseProbe(ProbeChoice choice) {
    probe.set(java.util.Objects.requireNonNull(choice));
    changed();
  }

  /** The next queued edit, or null. */
  WeightEdit pollEdit() {
    return edits.poll();
  }

  /** The probe chosen since the last call, or null. */
  ProbeChoice pollProbe() {
    return probe.getAndSet(null);
  }

  /** True when an edit or a probe choice waits for the epoch boundary. */
  boolean hasEdit() {
    return !edits.isEmpty() || probe.get() != null;
  }

  public boolean isPaused() {
    return paused;
  }

  public boolean isStopRequested() {
    return stopRequested;
  }

  /** Takes one pending step, if any. */
  synchronized boolean takeStep() {
    if (steps > 0) {
      steps--;
      return true;
    }
    return false;
  }

  synchronized boolean hasStep() {
    return steps > 0;
  }

  Runnable onChange(Runnable listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  private void changed() {
    listeners.forEach(Runnable::run);
  }
}
