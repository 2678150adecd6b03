package dev.trainscope.engine.nn;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs two independent halves of a large product, the second possibly on a helper thread, so a run
 * can use a second core. Nothing is ever waited for that has not started: when the caller finishes
 * its half and the helper has not yet taken the other one (it is busy with another run's product,
 * or not scheduled), the caller takes it back and runs it itself. So a busy helper never makes a
 * product slower than doing both halves in turn.
 *
 * <p>The halves write disjoint parts of the output and each element is computed by the same
 * operations whichever thread runs it: the results do not depend on the threads or their timing.
 */
final class TwoWay {
  /** With one core there is nobody to share with. */
  static final boolean AVAILABLE = Runtime.getRuntime().availableProcessors() >= 2;

  /** How long an idle helper polls for the next half before it parks, in nanoseconds. */
  private static final long SPIN_NANOS = 50_000;

  private static final int PENDING = 0, TAKEN = 1, DONE = 2;

  private static final ConcurrentLinkedQueue<Half> QUEUE = new ConcurrentLinkedQueue<>();
  private static final Thread HELPER;

  static {
    if (AVAILABLE) {
      HELPER = new Thread(TwoWay::serve, "trainscope-kernel");
      HELPER.setDaemon(true);
      HELPER.start();
    } else {
      HELPER = null;
    }
  }

  private TwoWay() {}

  private static final class Half {
    final Runnable work;
    final AtomicInteger state = new AtomicInteger(PENDING);
    volatile Throwable failure;

    Half(Runnable work) {
      this.work = work;
    }
  }

  /**
   * Runs {@code first} here and {@code second} here or on the helper; returns when both are done.
   */
  static void run(Runnable first, Runnable second) {
    if (!AVAILABLE) {
      first.run();
      second.run();
      return;
    }
    Half half = new Half(second);
    QUEUE.offer(half);
    LockSupport.unpark(HELPER);
    first.run();
    if (half.state.compareAndSet(PENDING, TAKEN)) {
      second.run();
      return;
    }
    // The helper is running it, and started before we finished: it is nearly done.
    for (int spins = 0; half.state.get() != DONE; spins++) {
      if (spins < 1 << 14) Thread.onSpinWait();
      else Thread.yield();
    }
    Throwable failure = half.failure;
    if (failure instanceof RuntimeException e) throw e;
    if (failure instanceof Error e) throw e;
  }

  private static void serve() {
    while (true) {
      Half half = QUEUE.poll();
      if (half == null) {
        long until = System.nanoTime() + SPIN_NANOS;
        while (QUEUE.isEmpty() && System.nanoTime() < until) Thread.onSpinWait();
        if (QUEUE.isEmpty()) LockSupport.park();
        continue;
      }
      if (!half.state.compareAndSet(PENDING, TAKEN)) continue; // its caller took it back
      try {
        half.work.run();
      } catch (Throwable t) {
        half.failure = t;
      }
      half.state.set(DONE);
    }
  }
}
