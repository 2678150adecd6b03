package dev.trainscope.server.runs;

import dev.trainscope.engine.event.TrainingEvent;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.scheduler.Scheduler;
import reactor.util.concurrent.Queues;

/**
 * Writes a run's events to its log on a writer worker, and tells readers once per burst.
 *
 * <p>Training emits its events in bursts (an epoch's batch events, then {@code epoch}, {@code
 * activations}, {@code layer-stats}, insights). Waking every subscriber for every event makes each
 * of them send one frame at a time: with hundreds of subscribers the server spends its time on
 * wake-ups and small writes. So this subscriber writes every event at hand and only then publishes:
 * a subscriber wakes once and sends the burst in one write. It adds no delay: it publishes as soon
 * as the queue is empty, it never waits for more events.
 *
 * <p>At most {@value #IN_FLIGHT} events wait here; beyond that training waits for the writer, so
 * this is a bounded buffer, not an unbounded one.
 */
final class LogAppender extends BaseSubscriber<TrainingEvent> {
  static final int IN_FLIGHT = 256;

  /** What the appender does with the events; every method runs on the writer worker. */
  interface Target {
    /** Writes an event without telling readers; may throw to fail the run. */
    void write(TrainingEvent event);

    /** Tells readers about everything written so far. */
    void publish();

    /** Training failed (or writing did); nothing more comes. */
    void failed(Throwable error);

    /** Training completed; nothing more comes. */
    void completed();
  }

  private final Queue<TrainingEvent> queue = Queues.<TrainingEvent>get(IN_FLIGHT).get();
  private final AtomicInteger wip = new AtomicInteger();
  private final Scheduler.Worker worker;
  private final Target target;
  private volatile boolean done;
  private volatile Throwable error;
  private boolean terminated; // on the worker only

  LogAppender(Scheduler writers, Target target) {
    this.worker = writers.createWorker();
    this.target = target;
  }

  @Override
  protected void hookOnSubscribe(Subscription subscription) {
    subscription.request(IN_FLIGHT);
  }

  @Override
  protected void hookOnNext(TrainingEvent event) {
    queue.offer(event); // never full: at most IN_FLIGHT are requested and not yet drained
    schedule();
  }

  @Override
  protected void hookOnComplete() {
    done = true;
    schedule();
  }

  @Override
  protected void hookOnError(Throwable throwable) {
    error = throwable;
    done = true;
    schedule();
  }

  @Override
  protected void hookOnCancel() {
    // After a drain in progress, never during it: disposing a worker interrupts its thread, and an
    // interrupted FileChannel write closes the log's file.
    submit(worker::dispose);
  }

  private void schedule() {
    if (wip.getAndIncrement() == 0) submit(this::drain);
  }

  private void submit(Runnable task) {
    try {
      worker.schedule(task);
    } catch (RejectedExecutionException e) {
      // Disposed: the run was cancelled or has ended, and there is nothing left to write.
    }
  }

  private void drain() {
    int missed = 1;
    while (!terminated) {
      long written = 0;
      TrainingEvent event;
      while ((event = queue.poll()) != null) {
        try {
          target.write(event);
        } catch (RuntimeException e) {
          if (written > 0) publishQuietly(e); // what was written before the failure is readable
          terminate(e);
          return;
        }
        written++;
      }
      if (written > 0) {
        try {
          target.publish(); // a Kafka log stores the burst here: it can fail like a write
        } catch (RuntimeException e) {
          terminate(e);
          return;
        }
        request(written);
      }
      if (done && queue.isEmpty()) {
        terminate(error);
        return;
      }
      missed = wip.addAndGet(-missed);
      if (missed == 0) return;
    }
  }

  private void publishQuietly(RuntimeException failure) {
    try {
      target.publish();
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  private void terminate(Throwable failure) {
    terminated = true;
    queue.clear();
    if (failure != null) {
      if (!done) cancel(); // a write failed: stop training
      target.failed(failure);
    } else {
      target.completed();
    }
    worker.dispose();
  }
}
