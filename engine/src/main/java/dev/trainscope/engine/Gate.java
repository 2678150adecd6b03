package dev.trainscope.engine;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Where the training thread waits: for downstream demand before each event (so training never runs
 * ahead of its subscriber), while paused, and during the pacing delay. Cancellation and control
 * changes wake it.
 */
final class Gate {
  /** Thrown on the training thread to unwind it when the subscriber has cancelled. */
  static final class Cancelled extends RuntimeException {
    Cancelled() {
      super(null, null, false, false);
    }
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private long demand;
  private volatile boolean cancelled;

  void request(long n) {
    lock.lock();
    try {
      demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  void cancel() {
    lock.lock();
    try {
      cancelled = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  void wake() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Read before every mini-batch: a volatile read, not the lock. */
  boolean isCancelled() {
    return cancelled;
  }

  /** Blocks until one unit of demand is available and takes it. */
  void acquireDemand() {
    lock.lock();
    try {
      while (demand == 0 && !cancelled) changed.await();
      if (cancelled) throw new Cancelled();
      if (demand != Long.MAX_VALUE) demand--;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Cancelled();
    } finally {
      lock.unlock();
    }
  }

  /** Blocks while {@code waitWhile} holds (re-checked on every wake-up). */
  void awaitWhile(BooleanSupplier waitWhile) {
    lock.lock();
    try {
      while (!cancelled && waitWhile.getAsBoolean()) changed.await();
      if (cancelled) throw new Cancelled();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Cancelled();
    } finally {
      lock.unlock();
    }
  }

  /** Sleeps up to {@code millis}, returning early when {@code until} becomes true. */
  void sleep(long millis, BooleanSupplier until) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    lock.lock();
    try {
      long left;
      while (!cancelled && !until.getAsBoolean() && (left = deadline - System.nanoTime()) > 0) {
        changed.awaitNanos(left);
      }
      if (cancelled) throw new Cancelled();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Cancelled();
    } finally {
      lock.unlock();
    }
  }
}
