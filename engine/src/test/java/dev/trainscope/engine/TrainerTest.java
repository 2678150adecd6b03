package dev.trainscope.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainscope.engine.check.InvalidValueException;
import dev.trainscope.engine.config.LayerSpec;
import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.engine.data.Dataset;
import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.engine.event.TrainingEvent.Epoch;
import dev.trainscope.engine.event.TrainingEvent.RunStarted;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

class TrainerTest {
  /** Far more epochs than could run in a test: a run that does not stop would be noticed. */
  static final TrainingConfig ENDLESS =
      TrainingConfig.defaults().toBuilder().epochs(100_000).build();

  static final Dataset IRIS = Trainer.loadDataset(TrainingConfig.defaults());

  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(r -> new Thread(r, "test-train"));
  private final Scheduler scheduler = Schedulers.fromExecutorService(executor);
  private final AtomicInteger clockReads = new AtomicInteger();
  private final Set<String> clockThreads = ConcurrentHashMap.newKeySet();
  private final LongSupplier countingClock =
      () -> {
        clockReads.incrementAndGet();
        clockThreads.add(Thread.currentThread().getName());
        return 0L;
      };

  @AfterEach
  void shutDown() {
    executor.shutdownNow();
  }

  private Flux<TrainingEvent> endless() {
    return new Trainer(scheduler, countingClock).train("run-1", ENDLESS, IRIS, new RunControl());
  }

  @Test
  void emitsExactlyAsManyEventsAsRequested() {
    StepVerifier.Step<TrainingEvent> step =
        StepVerifier.create(endless(), 0)
            .expectSubscription()
            .expectNoEvent(Duration.ofMillis(100));
    for (int i = 0; i < 8; i++) {
      step = step.thenRequest(1).expectNextCount(1).expectNoEvent(Duration.ofMillis(50));
    }
    step.thenRequest(5)
        .expectNextCount(5)
        .expectNoEvent(Duration.ofMillis(50))
        .thenCancel()
        .verify(Duration.ofSeconds(10));
  }

  @Test
  void trainingDoesNotRunAheadOfDemand() {
    // Every epoch reads the clock several times (its start, its duration, each event's time).
    // Had training gone on without demand, hundreds of epochs would have read it by now.
    StepVerifier.create(endless(), 0)
        .thenRequest(1)
        .expectNextMatches(RunStarted.class::isInstance)
        .expectNoEvent(Duration.ofMillis(300))
        .then(() -> assertThat(clockReads.get()).isLessThan(12))
        .thenRequest(1)
        .expectNextMatches(e -> e instanceof Epoch epoch && epoch.epoch() == 1)
        .expectNoEvent(Duration.ofMillis(300))
        .then(() -> assertThat(clockReads.get()).isLessThan(20))
        .thenCancel()
        .verify(Duration.ofSeconds(10));
  }

  @Test
  void cancelStopsTraining() throws InterruptedException {
    int[] readsAtCancel = new int[1];
    // One event of demand at a time keeps training in step with this subscriber, so what it
    // computes between the capture below and the cancel is bounded by the run, not by scheduling.
    StepVerifier.create(endless().limitRate(1))
        .thenConsumeWhile(e -> !(e instanceof Epoch epoch && epoch.epoch() == 3))
        .expectNextMatches(Epoch.class::isInstance)
        .then(() -> readsAtCancel[0] = clockReads.get())
        .thenCancel()
        .verify(Duration.ofSeconds(10));
    // The training task ends (instead of training the remaining 99,997 epochs) ...
    executor.shutdown();
    assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    // ... having computed at most the epoch that was in progress when the cancel arrived.
    assertThat(clockReads.get() - readsAtCancel[0]).isLessThan(20);
  }

  @Test
  void cancelWhileWaitingForDemandEndsTheTrainingTask() throws InterruptedException {
    StepVerifier.create(endless(), 0)
        .thenRequest(4)
        .expectNextCount(4)
        .expectNoEvent(Duration.ofMillis(100))
        .thenCancel()
        .verify(Duration.ofSeconds(10));
    int reads = clockReads.get();
    executor.shutdown();
    assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(clockReads.get()).isEqualTo(reads);
  }

  @Test
  void trainsOnTheSchedulersThreadNotTheSubscribers() {
    Set<String> deliveredOn = ConcurrentHashMap.newKeySet();
    String testThread = Thread.currentThread().getName();
    TrainingConfig config = TrainingConfig.defaults().toBuilder().epochs(2).build();
    StepVerifier.create(
            new Trainer(scheduler, countingClock)
                .train("run-1", config, IRIS, new RunControl())
                .doOnNext(e -> deliveredOn.add(Thread.currentThread().getName())))
        .thenConsumeWhile(e -> true)
        .expectComplete()
        .verify(Duration.ofSeconds(10));
    assertThat(deliveredOn).containsExactly("test-train");
    assertThat(clockThreads).containsExactly("test-train");
    assertThat(testThread).isNotEqualTo("test-train");
  }

  @Test
  void eachSubscriptionTrainsAgain() {
    TrainingConfig config = TrainingConfig.defaults().toBuilder().epochs(3).build();
    Flux<TrainingEvent> flux = TestRuns.fixedClock().train("run-1", config, IRIS, new RunControl());
    List<TrainingEvent> first = TestRuns.collect(flux);
    List<TrainingEvent> second = TestRuns.collect(flux);
    assertThat(first).isNotEmpty().isEqualTo(second);
  }

  @Test
  void nothingRunsUntilSubscribed() throws InterruptedException {
    new Trainer(scheduler, countingClock).train("run-1", ENDLESS, IRIS, new RunControl());
    // Work scheduled eagerly would still run (and keep the executor busy) after shutdown().
    executor.shutdown();
    assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(clockReads.get()).isZero();
  }

  @Test
  void outputUnitsMustEqualTheClassCount() {
    TrainingConfig config =
        TrainingConfig.defaults().toBuilder()
            .layers(LayerSpec.of(8, "relu"), LayerSpec.of(2, "softmax"))
            .build();
    assertThatThrownBy(() -> Trainer.validate(config, IRIS))
        .isInstanceOfSatisfying(
            InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("layers[1].units"))
        .hasMessageContaining("layers[1].units")
        .hasMessageContaining("(3)")
        .hasMessageEndingWith("required but was 2");
    // train() rejects it at once, not on subscription.
    assertThatThrownBy(() -> TestRuns.fixedClock().train(config))
        .isInstanceOf(InvalidValueException.class);
  }

  @Test
  void theDefaultLayersTrainEveryBuiltInDataSet() {
    for (String name : List.of("iris", "penguins", "xor", "circles", "spiral", "blobs")) {
      TrainingConfig config = TrainingConfig.builder().dataset(name).epochs(2).build();
      StepVerifier.create(TestRuns.fixedClock().train(config).last())
          .assertNext(e -> assertThat(e).as(name).isInstanceOf(TrainingEvent.RunCompleted.class))
          .expectComplete()
          .verify(Duration.ofSeconds(30));
    }
  }

  @Test
  void theFittedConfigIsTheOneTheRunReports() {
    TrainingConfig config = TrainingConfig.builder().dataset("xor").epochs(1).build();
    Dataset xor = Trainer.loadDataset(config);
    TrainingConfig fitted = Trainer.fit(config, xor);
    assertThat(fitted.layers().get(2).units()).isEqualTo(2);
    StepVerifier.create(TestRuns.fixedClock().train("r1", config, xor, new RunControl()).take(1))
        .assertNext(e -> assertThat(((RunStarted) e).config()).isEqualTo(fitted))
        .expectComplete()
        .verify(Duration.ofSeconds(30));
  }

  @Test
  void probeLengthMustEqualTheFeatureCount() {
    TrainingConfig config =
        TrainingConfig.defaults().toBuilder().probe(List.of(1.0, 2.0, 3.0)).build();
    assertThatThrownBy(() -> Trainer.validate(config, IRIS))
        .isInstanceOfSatisfying(
            InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("probe"))
        .hasMessageContaining("probe of 4 values")
        .hasMessageEndingWith("required but had 3");
    Trainer.validate(
        TrainingConfig.defaults().toBuilder().probe(List.of(1.0, 2.0, 3.0, 4.0)).build(), IRIS);
  }

  @Test
  void runIdMustBeSafeAsAPathSegment() {
    for (String bad : new String[] {"../x", "", "a b", "-x", null}) {
      assertThatThrownBy(
              () ->
                  TestRuns.fixedClock()
                      .train(bad, TrainingConfig.defaults(), IRIS, new RunControl()))
          .isInstanceOfSatisfying(
              InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("runId"));
    }
    assertThat(Trainer.RUN_ID.matcher(Trainer.newRunId()).matches()).isTrue();
  }
}
