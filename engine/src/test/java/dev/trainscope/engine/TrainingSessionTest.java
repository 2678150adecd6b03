package dev.trainscope.engine;

import static dev.trainscope.engine.TestRuns.collect;
import static dev.trainscope.engine.TestRuns.ofType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.trainscope.engine.config.LayerSpec;
import dev.trainscope.engine.config.OptimizerConfig;
import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.engine.event.TrainingEvent.Activations;
import dev.trainscope.engine.event.TrainingEvent.Batch;
import dev.trainscope.engine.event.TrainingEvent.Epoch;
import dev.trainscope.engine.event.TrainingEvent.Insight;
import dev.trainscope.engine.event.TrainingEvent.LayerStats;
import dev.trainscope.engine.event.TrainingEvent.RunCompleted;
import dev.trainscope.engine.event.TrainingEvent.RunFailed;
import dev.trainscope.engine.event.TrainingEvent.RunStarted;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class TrainingSessionTest {

  /**
   * Walks a run against the order documented on {@link TrainingEvent}: run-started; per epoch
   * batch* (when asked), epoch, activations + layer-stats on traced epochs, insight*; then
   * run-completed. Also checks seq is 0, 1, 2, ... without gaps.
   */
  static void assertDocumentedOrder(List<TrainingEvent> events, TrainingConfig config) {
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).seq()).as("seq of event %d", i).isEqualTo(i);
      assertThat(events.get(i).runId()).isEqualTo("run-1");
    }
    assertThat(events.get(0)).isInstanceOf(RunStarted.class);
    RunStarted started = (RunStarted) events.get(0);
    int trainSize = started.dataset().trainSize();
    int batches = (trainSize + config.batchSize() - 1) / config.batchSize();
    int i = 1;
    for (int epoch = 1; epoch <= config.epochs(); epoch++) {
      if (config.batchEvents()) {
        for (int b = 1; b <= batches; b++) {
          assertThat(events.get(i)).as("event %d", i).isInstanceOf(Batch.class);
          Batch batch = (Batch) events.get(i++);
          assertThat(batch.epoch()).isEqualTo(epoch);
          assertThat(batch.batch()).isEqualTo(b);
          assertThat(batch.batches()).isEqualTo(batches);
        }
      }
      assertThat(events.get(i)).as("event %d", i).isInstanceOf(Epoch.class);
      Epoch e = (Epoch) events.get(i++);
      assertThat(e.epoch()).isEqualTo(epoch);
      assertThat(e.epochs()).isEqualTo(config.epochs());
      boolean traced = epoch == 1 || epoch == config.epochs() || epoch % config.traceEvery() == 0;
      if (traced) {
        assertThat(events.get(i)).as("event %d", i).isInstanceOf(Activations.class);
        assertThat(((Activations) events.get(i++)).epoch()).isEqualTo(epoch);
        assertThat(events.get(i)).as("event %d", i).isInstanceOf(LayerStats.class);
        assertThat(((LayerStats) events.get(i++)).epoch()).isEqualTo(epoch);
      }
      while (events.get(i) instanceof Insight insight) {
        assertThat(insight.epoch()).isEqualTo(epoch);
        i++;
      }
    }
    assertThat(events.get(i)).isInstanceOf(RunCompleted.class);
    assertThat(i).as("run-completed is last").isEqualTo(events.size() - 1);
    RunCompleted done = (RunCompleted) events.get(i);
    assertThat(done.stopped()).isFalse();
    assertThat(done.epochs()).isEqualTo(config.epochs());
  }

  static TrainingConfig small() {
    return TrainingConfig.defaults().toBuilder().epochs(12).build();
  }

  @Test
  void epochTrainingFiguresAreThoseOfItsBatches() {
    // 32 does not divide the training set, so the short last batch must count by its size.
    TrainingConfig config = small().toBuilder().batchSize(32).batchEvents(true).epochs(3).build();
    List<TrainingEvent> events = collect(config);
    int n = ((RunStarted) events.get(0)).dataset().trainSize();
    assertThat(n % 32).isNotZero();
    for (Epoch e : ofType(events, Epoch.class)) {
      double weighted = 0;
      for (Batch b : ofType(events, Batch.class)) {
        if (b.epoch() != e.epoch()) continue;
        int size = b.batch() < b.batches() ? 32 : n - 32 * (b.batches() - 1);
        weighted += b.loss() * size;
      }
      assertThat(e.loss()).isCloseTo(weighted / n, within(1e-12));
      double correct = e.accuracy() * n;
      assertThat(correct).isCloseTo(Math.rint(correct), within(1e-9));
    }
  }

  @Test
  void eventsFollowTheDocumentedOrder() {
    TrainingConfig config = small();
    assertDocumentedOrder(collect(config), config);
  }

  @Test
  void traceEveryTracesTheFirstEveryKthAndTheLastEpoch() {
    TrainingConfig config = small().toBuilder().epochs(11).traceEvery(4).build();
    List<TrainingEvent> events = collect(config);
    assertDocumentedOrder(events, config);
    assertThat(ofType(events, Activations.class))
        .extracting(Activations::epoch)
        .containsExactly(1, 4, 8, 11);
    assertThat(ofType(events, LayerStats.class))
        .extracting(LayerStats::epoch)
        .containsExactly(1, 4, 8, 11);
  }

  @Test
  void traceCarriesWeightsOfSmallLayersOnly() {
    TrainingConfig config =
        small().toBuilder()
            .epochs(1)
            .layers(LayerSpec.of(300, "relu"), LayerSpec.of(3, "softmax"))
            .build();
    Activations trace = ofType(collect(config), Activations.class).get(0);

    // 4 x 300 = 1,200 weights: too many to trace; 300 x 3 = 900: traced as [unit][input].
    assertThat(trace.layers().get(0).weights()).isNull();
    assertThat(trace.layers().get(1).weights())
        .hasSize(3)
        .allSatisfy(row -> assertThat(row).hasSize(300));
  }

  @Test
  void batchEventsCoverEveryMiniBatchOfEveryEpoch() {
    // Iris: 50 per class, 20 % validation -> 40 per class, 120 training samples; batches of 16
    // -> 7 full batches and one of 8.
    TrainingConfig config = small().toBuilder().epochs(3).batchEvents(true).build();
    List<TrainingEvent> events = collect(config);
    assertDocumentedOrder(events, config);
    assertThat(((RunStarted) events.get(0)).dataset().trainSize()).isEqualTo(120);
    List<Batch> batches = ofType(events, Batch.class);
    assertThat(batches).hasSize(3 * 8);
    assertThat(batches).allSatisfy(b -> assertThat(b.batches()).isEqualTo(8));
    assertThat(batches).allSatisfy(b -> assertThat(b.loss()).isFinite().isPositive());
  }

  @Test
  void noBatchEventsUnlessAsked() {
    assertThat(ofType(collect(small()), Batch.class)).isEmpty();
  }

  @Test
  void layerStatsDescribeTheValidationSamplesOrWithoutThemTheTrainingSamples() {
    // Iris: 30 validation samples, or all 150 as training samples without a split.
    for (double split : new double[] {0.2, 0}) {
      TrainingConfig config = small().toBuilder().epochs(2).validationSplit(split).build();
      List<TrainingEvent> events = collect(config);
      int samples = split > 0 ? 30 : 150;
      assertThat(ofType(events, LayerStats.class))
          .hasSize(2)
          .allSatisfy(
              s ->
                  assertThat(s.layers())
                      .allSatisfy(
                          l ->
                              assertThat(l.activations().count())
                                  .isEqualTo((long) samples * l.units())));
    }
  }

  @Test
  void withoutValidationTheTrainingSetStandsIn() {
    TrainingConfig config = small().toBuilder().epochs(3).validationSplit(0).build();
    List<TrainingEvent> events = collect(config);
    assertDocumentedOrder(events, config);
    assertThat(ofType(events, Epoch.class))
        .allSatisfy(
            e -> {
              assertThat(e.valLoss()).isNull();
              assertThat(e.valAccuracy()).isNull();
            });
    // The probe is the first training sample, so it has a label.
    assertThat(ofType(events, Activations.class))
        .allSatisfy(a -> assertThat(a.label()).isNotNull());
    RunCompleted done = (RunCompleted) events.get(events.size() - 1);
    assertThat(done.confusionSet()).isEqualTo("training");
    int total = done.confusionMatrix().stream().flatMap(List::stream).mapToInt(i -> i).sum();
    assertThat(total).isEqualTo(150);
  }

  @Test
  void probeTraceIsConsistentWithTheReportedProbabilities() {
    for (Activations a : ofType(collect(small()), Activations.class)) {
      List<Double> p = a.probabilities();
      // float32 probabilities: each within a float rounding (6e-8 relative) of exact.
      assertThat(p.stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1, within(1e-6));
      int argmax = 0;
      for (int c = 1; c < p.size(); c++) if (p.get(c) > p.get(argmax)) argmax = c;
      assertThat(a.predicted()).isEqualTo(argmax);
      // Layer i's input is layer i-1's output; ReLU output is max(0, linear).
      assertThat(a.layers().get(0).inputs()).isEqualTo(a.input().size());
      for (int j = 0; j < 3; j++) {
        assertThat(a.layers().get(0).output().get(j))
            .isEqualTo(Math.max(0, a.layers().get(0).linear().get(j)));
      }
      assertThat(a.label()).isNotNull();
      assertThat(a.labelClass()).isIn("setosa", "versicolor", "virginica");
    }
  }

  @Test
  void sameSeedGivesEqualSequences() {
    TrainingConfig config = small().toBuilder().batchEvents(true).build();
    assertThat(collect(config)).isEqualTo(collect(config));
  }

  @Test
  void differentSeedGivesDifferentNumbers() {
    List<Double> a = losses(collect(small()));
    List<Double> b = losses(collect(small().toBuilder().seed(43).build()));
    assertThat(a).hasSameSizeAs(b);
    for (int i = 0; i < a.size(); i++) assertThat(a.get(i)).isNotEqualTo(b.get(i));
  }

  @Test
  void defaultConfigLearnsIris() {
    List<TrainingEvent> events = collect(TrainingConfig.defaults());
    assertLearned(events, 0.9);
  }

  @Test
  void defaultLayersLearnPenguins() {
    List<TrainingEvent> events =
        collect(TrainingConfig.defaults().toBuilder().dataset("penguins").build());
    assertLearned(events, 0.9);
  }

  @Test
  void hiddenReluLayerSolvesXor() {
    TrainingConfig config =
        TrainingConfig.defaults().toBuilder()
            .dataset("xor")
            .samples(300)
            .noise(0)
            .layers(LayerSpec.of(8, "relu"), LayerSpec.of(2, "softmax"))
            .epochs(150)
            .traceEvery(50)
            .build();
    assertLearned(collect(config), 0.9);
  }

  @Test
  void lossDecreases() {
    List<Double> losses = losses(collect(TrainingConfig.defaults().toBuilder().epochs(30).build()));
    assertThat(losses.get(losses.size() - 1)).isLessThan(losses.get(0));
  }

  @Test
  void absurdLearningRateFailsTheRunAsDivergedWithoutAnErrorSignal() {
    TrainingConfig config =
        TrainingConfig.defaults().toBuilder()
            .layers(LayerSpec.of(8, "linear"), LayerSpec.of(3, "linear"))
            .loss("mse")
            .optimizer(OptimizerConfig.sgd(1000))
            .epochs(50)
            .build();
    StepVerifier.create(TestRuns.flux(TestRuns.fixedClock(), config, new RunControl()))
        .expectNextMatches(RunStarted.class::isInstance)
        .thenConsumeWhile(e -> !(e instanceof Insight i && i.code().equals("diverged")))
        .assertNext(
            e -> {
              Insight insight = (Insight) e;
              assertThat(insight.level()).isEqualTo("error");
              assertThat(insight.message()).contains("learning rate").contains("1000");
            })
        .assertNext(
            e -> {
              assertThat(e).isInstanceOf(RunFailed.class);
              RunFailed failed = (RunFailed) e;
              assertThat(failed.code()).isEqualTo("diverged");
              assertThat(failed.reason()).contains("learning rate").contains("1000");
              assertThat(failed.epoch()).isBetween(1, 50);
            })
        .expectComplete()
        .verify(TestRuns.TIMEOUT);
  }

  static List<Double> losses(List<TrainingEvent> events) {
    return ofType(events, Epoch.class).stream().map(Epoch::loss).toList();
  }

  static void assertLearned(List<TrainingEvent> events, double minValAccuracy) {
    List<Epoch> epochs = ofType(events, Epoch.class);
    Epoch last = epochs.get(epochs.size() - 1);
    assertThat(last.valAccuracy()).isGreaterThanOrEqualTo(minValAccuracy);
    assertThat(last.loss()).isLessThan(epochs.get(0).loss());
    RunCompleted done = (RunCompleted) events.get(events.size() - 1);
    assertThat(done.valAccuracy()).isEqualTo(last.valAccuracy());
    assertThat(done.confusionSet()).isEqualTo("validation");
    // The confusion matrix agrees with the reported validation accuracy.
    List<List<Integer>> m = done.confusionMatrix();
    int total = 0, diagonal = 0;
    for (int r = 0; r < m.size(); r++) {
      for (int c = 0; c < m.size(); c++) total += m.get(r).get(c);
      diagonal += m.get(r).get(r);
    }
    assertThat((double) diagonal / total).isEqualTo(done.valAccuracy());
    RunStarted started = (RunStarted) events.get(0);
    assertThat(total).isEqualTo(started.dataset().validationSize());
  }
}
