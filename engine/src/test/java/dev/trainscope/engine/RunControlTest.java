package dev.trainscope.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.engine.event.TrainingEvent.Epoch;
import dev.trainscope.engine.event.TrainingEvent.RunCompleted;
import dev.trainscope.engine.event.TrainingEvent.RunStarted;
import dev.trainscope.engine.event.TrainingEvent.Status;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * Pause, step, resume and stop. A paused-and-stepped run must train exactly like an uncontrolled
 * run of the same config, so the expected events of each epoch come from such a reference run
 * (fixed clock; sequence numbers are compared separately because status events shift them).
 */
class RunControlTest {
  static final Duration QUIET = Duration.ofMillis(300);
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  static final TrainingConfig CONFIG = TrainingConfig.defaults().toBuilder().epochs(4).build();

  static final List<TrainingEvent> REFERENCE =
      TestRuns.collect(CONFIG).stream().map(RunControlTest::normalised).toList();

  static TrainingEvent normalised(TrainingEvent e) {
    return e.withSeqAndTime(0, 0);
  }

  /** The reference run's events of one epoch (batch to last insight). */
  static List<TrainingEvent> epoch(int n) {
    return REFERENCE.stream().filter(e -> epochOf(e) == n).toList();
  }

  static int epochOf(TrainingEvent e) {
    if (e instanceof Epoch x) return x.epoch();
    if (e instanceof TrainingEvent.Activations x) return x.epoch();
    if (e instanceof TrainingEvent.LayerStats x) return x.epoch();
    if (e instanceof TrainingEvent.Insight x) return x.epoch();
    if (e instanceof TrainingEvent.Batch x) return x.epoch();
    return -1;
  }

  static Predicate<TrainingEvent> status(String state, int epoch) {
    return e -> e instanceof Status s && s.state().equals(state) && s.epoch() == epoch;
  }

  static Predicate<TrainingEvent> completed(boolean stopped, int epochs) {
    return e -> e instanceof RunCompleted c && c.stopped() == stopped && c.epochs() == epochs;
  }

  static Flux<TrainingEvent> run(RunControl control) {
    return TestRuns.flux(TestRuns.fixedClock(), CONFIG, control).map(RunControlTest::normalised);
  }

  @Test
  void referenceRunHasEventsInEveryEpoch() {
    for (int n = 1; n <= CONFIG.epochs(); n++) assertThat(epoch(n)).isNotEmpty();
  }

  @Test
  void pauseBeforeSubscribingHoldsTheRunBeforeEpochOne() {
    RunControl control = new RunControl();
    control.pause();
    StepVerifier.create(run(control))
        .expectNextMatches(RunStarted.class::isInstance)
        .expectNextMatches(status(Status.PAUSED, 0))
        .expectNoEvent(QUIET)
        .then(control::stop)
        .expectNextMatches(status(Status.STOPPED, 0))
        .assertNext(
            e -> {
              RunCompleted c = (RunCompleted) e;
              assertThat(c.stopped()).isTrue();
              assertThat(c.epochs()).isZero();
              assertThat(c.loss()).isNull();
              assertThat(c.valAccuracy()).isNull();
            })
        .expectComplete()
        .verify(TIMEOUT);
  }

  @Test
  void stepRunsExactlyOneEpochWhilePaused() {
    RunControl control = new RunControl();
    control.pause();
    StepVerifier.create(run(control))
        .expectNextMatches(RunStarted.class::isInstance)
        .expectNextMatches(status(Status.PAUSED, 0))
        .expectNoEvent(QUIET)
        .then(control::step)
        .expectNextSequence(epoch(1))
        .expectNoEvent(QUIET)
        .then(control::step)
        .expectNextSequence(epoch(2))
        .expectNoEvent(QUIET)
        .then(control::stop)
        .expectNextMatches(status(Status.STOPPED, 2))
        .expectNextMatches(completed(true, 2))
        .expectComplete()
        .verify(TIMEOUT);
    assertThat(control.isPaused()).isTrue();
  }

  @Test
  void resumeContinuesTheRunExactlyAsIfItHadNeverPaused() {
    RunControl control = new RunControl();
    control.pause();
    StepVerifier.create(run(control))
        .expectNextMatches(RunStarted.class::isInstance)
        .expectNextMatches(status(Status.PAUSED, 0))
        .expectNoEvent(QUIET)
        .then(control::resume)
        .expectNextMatches(status(Status.RESUMED, 0))
        .expectNextSequence(REFERENCE.subList(1, REFERENCE.size()))
        .expectComplete()
        .verify(TIMEOUT);
  }

  @Test
  void pauseWhileRunningTakesEffectAtTheNextEpochBoundary() {
    RunControl control = new RunControl();
    StepVerifier.create(run(control), 0)
        .thenRequest(1)
        .expectNextMatches(RunStarted.class::isInstance)
        .thenRequest(1)
        .expectNext(epoch(1).get(0))
        // The training thread waits inside epoch 1 (before its second event) while we pause.
        .then(control::pause)
        .thenRequest(Long.MAX_VALUE)
        .expectNextSequence(epoch(1).subList(1, epoch(1).size()))
        .expectNextMatches(status(Status.PAUSED, 1))
        .expectNoEvent(QUIET)
        .then(control::resume)
        .expectNextMatches(status(Status.RESUMED, 1))
        .expectNextSequence(epoch(2))
        .thenConsumeWhile(e -> !e.isTerminal())
        .expectNextMatches(completed(false, CONFIG.epochs()))
        .expectComplete()
        .verify(TIMEOUT);
  }

  @Test
  void stopEndsTheRunAfterTheCurrentEpoch() {
    RunControl control = new RunControl();
    Epoch first = (Epoch) epoch(1).get(0);
    // Stop while epoch 1 is being reported: with demand for one event at a time, the training
    // thread waits inside epoch 1 (before its second event), so the stop lands mid-epoch.
    StepVerifier.create(run(control), 0)
        .thenRequest(1)
        .expectNextMatches(RunStarted.class::isInstance)
        .thenRequest(1)
        .expectNext(first)
        .then(control::stop)
        .thenRequest(Long.MAX_VALUE)
        .expectNextSequence(epoch(1).subList(1, epoch(1).size()))
        .expectNextMatches(status(Status.STOPPED, 1))
        .assertNext(
            e -> {
              RunCompleted c = (RunCompleted) e;
              assertThat(c.stopped()).isTrue();
              assertThat(c.epochs()).isEqualTo(1);
              assertThat(c.loss()).isEqualTo(first.loss());
              assertThat(c.valAccuracy()).isEqualTo(first.valAccuracy());
            })
        .expectComplete()
        .verify(TIMEOUT);
  }

  @Test
  void stopInterruptsTheEpochDelay() {
    TrainingConfig slow =
        CONFIG.toBuilder().epochDelayMs(TrainingConfig.MAX_EPOCH_DELAY_MS).build();
    RunControl control = new RunControl();
    StepVerifier.create(
            TestRuns.flux(TestRuns.fixedClock(), slow, control).map(RunControlTest::normalised))
        .expectNextMatches(RunStarted.class::isInstance)
        .expectNextSequence(epoch(1))
        // Now a 60 s delay; a stop must not wait for it (the verify timeout is 10 s).
        .expectNoEvent(QUIET)
        .then(control::stop)
        .expectNextMatches(status(Status.STOPPED, 1))
        .expectNextMatches(completed(true, 1))
        .expectComplete()
        .verify(TIMEOUT);
  }

  @Test
  void stepIsIgnoredWhenNotPaused() {
    RunControl control = new RunControl();
    control.step();
    control.pause();
    StepVerifier.create(run(control))
        .expectNextMatches(RunStarted.class::isInstance)
        .expectNextMatches(status(Status.PAUSED, 0))
        .expectNoEvent(QUIET)
        .then(control::stop)
        .expectNextMatches(status(Status.STOPPED, 0))
        .expectNextMatches(completed(true, 0))
        .expectComplete()
        .verify(TIMEOUT);
  }

  @Test
  void controlledRunsKeepSequenceNumbersContiguous() {
    RunControl control = new RunControl();
    control.pause();
    List<Long> seqs = new java.util.ArrayList<>();
    StepVerifier.create(
            TestRuns.flux(TestRuns.fixedClock(), CONFIG, control).doOnNext(e -> seqs.add(e.seq())))
        .expectNextCount(2)
        .then(control::step)
        .expectNextCount(epoch(1).size())
        .then(control::resume)
        .thenConsumeWhile(e -> !e.isTerminal())
        .expectNextMatches(TrainingEvent::isTerminal)
        .expectComplete()
        .verify(TIMEOUT);
    for (int i = 0; i < seqs.size(); i++) assertThat(seqs.get(i)).isEqualTo(i);
  }
}
