package dev.trainscope.server.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainscope.engine.event.TrainingEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

class LogAppenderTest {
  /** The writer's tasks wait here until the test runs them: bursts are exact, not timed. */
  private final Queue<Runnable> tasks = new ArrayDeque<>();

  private final Scheduler writers = Schedulers.fromExecutor(tasks::add);
  private final List<String> calls = new ArrayList<>();

  @AfterEach
  void dispose() {
    writers.dispose();
  }

  private void runTasks() {
    Runnable task;
    while ((task = tasks.poll()) != null) task.run();
  }

  private static TrainingEvent batch(long seq) {
    return new TrainingEvent.Batch("r", seq, 1000 + seq, 1, (int) seq + 1, 1000, 0.5);
  }

  private LogAppender appender(long failAt) {
    return new LogAppender(
        writers,
        new LogAppender.Target() {
          @Override
          public void write(TrainingEvent event) {
            if (event.seq() == failAt) throw new IllegalStateException("disk full");
            calls.add("write " + event.seq());
          }

          @Override
          public void publish() {
            calls.add("publish");
          }

          @Override
          public void failed(Throwable error) {
            calls.add("failed: " + error.getMessage());
          }

          @Override
          public void completed() {
            calls.add("completed");
          }
        });
  }

  @Test
  void aBurstIsWrittenWholeThenPublishedOnce() {
    Flux.range(0, 5).map(LogAppenderTest::batch).subscribe(appender(-1));
    assertThat(calls).isEmpty(); // nothing on the emitting (training) thread
    runTasks();
    assertThat(calls)
        .containsExactly(
            "write 0", "write 1", "write 2", "write 3", "write 4", "publish", "completed");
  }

  @Test
  void eachBurstIsPublishedAsSoonAsItIsWritten() {
    Sinks.Many<TrainingEvent> training = Sinks.many().unicast().onBackpressureBuffer();
    training.asFlux().subscribe(appender(-1));
    training.tryEmitNext(batch(0));
    training.tryEmitNext(batch(1));
    runTasks();
    training.tryEmitNext(batch(2));
    runTasks();
    training.tryEmitComplete();
    runTasks();
    assertThat(calls)
        .containsExactly("write 0", "write 1", "publish", "write 2", "publish", "completed");
  }

  @Test
  void trainingWaitsWhenTheWriterIsBehind() {
    List<Long> requested = new ArrayList<>();
    Flux.range(0, 300)
        .map(LogAppenderTest::batch)
        .doOnRequest(requested::add)
        .subscribe(appender(-1));
    assertThat(requested).containsExactly((long) LogAppender.IN_FLIGHT);
    runTasks();
    assertThat(calls.stream().filter(c -> c.startsWith("write"))).hasSize(300);
    assertThat(calls).startsWith("write 0").endsWith("write 299", "publish", "completed");
    assertThat(requested.get(1)).isEqualTo((long) LogAppender.IN_FLIGHT);
  }

  @Test
  void aFailedWriteStopsTrainingAndReportsTheFailure() {
    AtomicBoolean cancelled = new AtomicBoolean();
    Flux.range(0, 5)
        .map(LogAppenderTest::batch)
        .concatWith(Flux.never()) // training goes on
        .doOnCancel(() -> cancelled.set(true))
        .subscribe(appender(2));
    runTasks();
    assertThat(calls).containsExactly("write 0", "write 1", "publish", "failed: disk full");
    assertThat(cancelled).isTrue();
  }

  @Test
  void aTrainingErrorIsReportedAfterTheEventsBeforeIt() {
    Flux.range(0, 2)
        .map(LogAppenderTest::batch)
        .concatWith(Flux.error(new IllegalStateException("engine bug")))
        .subscribe(appender(-1));
    runTasks();
    assertThat(calls).containsExactly("write 0", "write 1", "publish", "failed: engine bug");
  }
}
