package dev.trainscope.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.trainscope.engine.InsightRules.Converged;
import dev.trainscope.engine.InsightRules.DeadRelu;
import dev.trainscope.engine.InsightRules.LossDecreasing;
import dev.trainscope.engine.InsightRules.LossRising;
import dev.trainscope.engine.InsightRules.Observation;
import dev.trainscope.engine.InsightRules.Overfitting;
import dev.trainscope.engine.InsightRules.Plateau;
import dev.trainscope.engine.InsightRules.SaturatedSigmoid;
import dev.trainscope.engine.InsightRules.Started;
import dev.trainscope.engine.event.TrainingEvent.LayerStat;
import dev.trainscope.engine.event.TrainingEvent.Summary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class InsightRulesTest {
  static final Summary ANY = Stats.summarize(new double[] {0.5, -0.5});

  record Seen(int epoch, Observation observation) {}

  /** Feeds epochs 1..n (losses[i] is epoch i + 1) and records what each epoch reported. */
  static List<Seen> feed(InsightRules rules, double[] losses, double[] valLosses) {
    List<Seen> seen = new ArrayList<>();
    for (int i = 0; i < losses.length; i++) {
      Double val = valLosses == null ? null : valLosses[i];
      for (Observation o : rules.afterEpoch(i + 1, losses[i], 0.5, val, null)) {
        seen.add(new Seen(i + 1, o));
      }
    }
    return seen;
  }

  static List<Seen> withCode(List<Seen> seen, String code) {
    return seen.stream().filter(s -> s.observation().code().equals(code)).toList();
  }

  static double[] geometric(int n, double start, double factor) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) v[i] = start * Math.pow(factor, i);
    return v;
  }

  @Test
  void overfittingIsReportedOnceWhenValidationLossRisesForFiveEpochsWhileTrainingLossFalls() {
    int n = 25;
    double[] loss = geometric(n, 1.0, 0.9);
    double[] val = new double[n];
    // Validation loss falls until epoch 8, then rises every epoch from epoch 9 on.
    for (int i = 0; i < n; i++) val[i] = i < 8 ? 1.0 - 0.05 * i : 0.65 + 0.02 * (i - 7);
    List<Seen> overfitting = withCode(feed(new InsightRules(3), loss, val), "overfitting");
    assertThat(overfitting).hasSize(1);
    // The fifth consecutive rise is epoch 13 (rises at 9, 10, 11, 12, 13).
    assertThat(overfitting.get(0).epoch()).isEqualTo(13);
    assertThat(overfitting.get(0).observation().level()).isEqualTo("warning");
    assertThat(overfitting.get(0).observation().message()).contains("0.650");
  }

  @Test
  void fourRisingEpochsAreNotOverfitting() {
    int n = 12;
    double[] loss = geometric(n, 1.0, 0.9);
    double[] val = new double[n];
    // Four rises, then a new minimum, then four rises again.
    double[] pattern = {1.0, 0.9, 0.8, 0.82, 0.84, 0.86, 0.88, 0.7, 0.72, 0.74, 0.76, 0.78};
    System.arraycopy(pattern, 0, val, 0, n);
    assertThat(withCode(feed(new InsightRules(3), loss, val), "overfitting")).isEmpty();
  }

  @Test
  void risingValidationLossWithRisingTrainingLossIsNotOverfitting() {
    int n = 15;
    double[] loss = geometric(n, 1.0, 1.05);
    double[] val = geometric(n, 1.0, 1.05);
    List<Seen> seen = feed(new InsightRules(3), loss, val);
    assertThat(withCode(seen, "overfitting")).isEmpty();
    assertThat(withCode(seen, "loss-rising")).hasSize(1);
  }

  @Test
  void trendIsReportedWhenItChangesNotEveryEpoch() {
    // 30 epochs of steady decrease, then 20 of steady increase.
    double[] loss = new double[50];
    for (int i = 0; i < 50; i++)
      loss[i] = i < 30 ? 2.0 * Math.pow(0.95, i) : loss[29] * Math.pow(1.05, i - 29);
    List<Seen> seen = feed(new InsightRules(3), loss, null);
    List<Seen> decreasing = withCode(seen, "loss-decreasing");
    assertThat(decreasing).hasSize(1);
    // First epoch with two whole 5-epoch windows to compare.
    assertThat(decreasing.get(0).epoch()).isEqualTo(10);
    List<Seen> rising = withCode(seen, "loss-rising");
    assertThat(rising).hasSize(1);
    assertThat(rising.get(0).epoch()).isGreaterThan(30);
  }

  @Test
  void noiseAroundAFlatLossDoesNotFlipTheTrend() {
    // Batch-mean training loss: a fall, then 200 epochs flat with +-3% epoch-to-epoch noise.
    java.util.Random noise = new java.util.Random(1);
    double[] loss = new double[220];
    for (int i = 0; i < loss.length; i++) {
      loss[i] = i < 20 ? 2.0 * Math.pow(0.9, i) : 0.25 * (1 + 0.03 * (2 * noise.nextDouble() - 1));
    }
    List<Seen> seen = feed(new InsightRules(3), loss, null);
    List<Seen> trends = new ArrayList<>(withCode(seen, "loss-decreasing"));
    trends.addAll(withCode(seen, "loss-rising"));
    trends.addAll(withCode(seen, "plateau"));
    assertThat(trends).as("trend changes").hasSizeLessThanOrEqualTo(3);
    assertThat(withCode(seen, "plateau")).hasSize(1);
  }

  @Test
  void plateauIsReportedOnce() {
    double[] loss = new double[40];
    java.util.Arrays.fill(loss, 0.5);
    List<Seen> seen = feed(new InsightRules(2), loss, null);
    assertThat(withCode(seen, "plateau")).hasSize(1);
  }

  @Test
  void firstEpochComparesWithUniformGuessing() {
    List<Observation> first = new InsightRules(3).afterEpoch(1, 1.2, 0.3, 1.3, null);
    assertThat(first).extracting(Observation::code).containsExactly("started");
    assertThat(first.get(0).message())
        .contains("1.200")
        .contains(String.format(java.util.Locale.ROOT, "%.3f", Math.log(3)));
  }

  @Test
  void convergenceIsReportedOnce() {
    InsightRules rules = new InsightRules(3);
    rules.afterEpoch(1, 1.0, 0.5, null, null);
    assertThat(rules.afterEpoch(2, 0.2, 1.0, null, null))
        .extracting(Observation::code)
        .contains("converged");
    assertThat(rules.afterEpoch(3, 0.1, 1.0, null, null))
        .extracting(Observation::code)
        .doesNotContain("converged");
  }

  static LayerStat relu(int index, int units, int deadUnits) {
    return new LayerStat(
        index,
        "relu",
        units,
        ANY,
        ANY,
        ANY,
        ANY,
        deadUnits / (double) units,
        deadUnits,
        null,
        0.01);
  }

  static LayerStat sigmoid(int index, double saturated) {
    return new LayerStat(index, "sigmoid", 3, ANY, ANY, ANY, ANY, null, null, saturated, 0.01);
  }

  @Test
  void deadReluIsReportedWhenUnitsDieAndAgainAfterTheyRecover() {
    InsightRules rules = new InsightRules(3);
    List<Observation> e1 =
        rules.afterEpoch(1, 1.0, 0.5, null, List.of(relu(0, 3, 0), relu(1, 4, 2)));
    List<Observation> dead = e1.stream().filter(o -> o.code().equals("dead-relu")).toList();
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).layer()).isEqualTo(1);
    assertThat(dead.get(0).level()).isEqualTo("warning");
    assertThat(dead.get(0).message()).contains("2 units of layer 2");
    // Still dead: not repeated.
    assertThat(rules.afterEpoch(2, 0.9, 0.5, null, List.of(relu(0, 3, 0), relu(1, 4, 2))))
        .extracting(Observation::code)
        .doesNotContain("dead-relu");
    // Recovered, then all units dead: reported again, as an error.
    rules.afterEpoch(3, 0.8, 0.5, null, List.of(relu(0, 3, 0), relu(1, 4, 0)));
    List<Observation> e4 =
        rules.afterEpoch(4, 0.7, 0.5, null, List.of(relu(0, 3, 0), relu(1, 4, 4)));
    assertThat(e4)
        .filteredOn(o -> o.code().equals("dead-relu"))
        .singleElement()
        .satisfies(o -> assertThat(o.level()).isEqualTo("error"));
  }

  @Test
  void saturatedSigmoidIsReportedWhenMostOutputsAreSaturated() {
    InsightRules rules = new InsightRules(3);
    assertThat(rules.afterEpoch(1, 1.0, 0.5, null, List.of(sigmoid(0, 0.3))))
        .extracting(Observation::code)
        .doesNotContain("saturated-sigmoid");
    List<Observation> e2 = rules.afterEpoch(2, 1.0, 0.5, null, List.of(sigmoid(0, 0.8)));
    assertThat(e2)
        .filteredOn(o -> o.code().equals("saturated-sigmoid"))
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.layer()).isZero();
              assertThat(o.message()).contains("80%").contains("layer 1");
            });
    assertThat(rules.afterEpoch(3, 1.0, 0.5, null, List.of(sigmoid(0, 0.9))))
        .extracting(Observation::code)
        .doesNotContain("saturated-sigmoid");
  }

  @Test
  void divergedReasonNamesTheLearningRate() {
    assertThat(InsightRules.divergedReason(3, Double.NaN, 5.0))
        .contains("NaN")
        .contains("epoch 3")
        .contains("learning rate 5.0");
    assertThat(InsightRules.divergedReason(1, Double.POSITIVE_INFINITY, 5.0)).contains("infinite");
  }

  @Test
  void afterEpochComposesTheRulesInOrderAndTheLayersOneByOne() {
    List<Observation> first =
        new InsightRules(3)
            .afterEpoch(1, 0.005, 1.0, 0.01, List.of(sigmoid(0, 0.9), relu(1, 4, 1)));
    assertThat(first)
        .extracting(Observation::code, Observation::layer)
        .containsExactly(
            tuple("started", null),
            tuple("converged", null),
            tuple("saturated-sigmoid", 0),
            tuple("dead-relu", 1));
  }

  /** Mean of losses[from, to) (0-based epochs). */
  static double mean(double[] losses, int from, int to) {
    return Arrays.stream(losses, from, to).average().orElseThrow();
  }

  @Nested
  class StartedRule {
    @Test
    void comparesTheFirstLossWithUniformGuessing() {
      Started started = new InsightRules(4).started(0.9);
      assertThat(started).isEqualTo(new Started(0.9, 4));
      assertThat(started.uniformLoss()).isEqualTo(Math.log(4));
      assertThat(started.level()).isEqualTo("info");
      assertThat(started.message()).contains("0.900").contains("4 classes").contains("1.386");
    }

    @Test
    void onlyTheFirstEpochStarts() {
      InsightRules rules = new InsightRules(3);
      rules.afterEpoch(1, 1.0, 0.5, null, null);
      assertThat(rules.afterEpoch(2, 1.0, 0.5, null, null))
          .extracting(Observation::code)
          .doesNotContain("started");
    }
  }

  @Nested
  class LossTrendRule {
    /** What the trend rule alone says after each epoch (index 0 is epoch 1). */
    List<Optional<Observation>> trend(double[] losses, boolean converged) {
      InsightRules rules = new InsightRules(3);
      List<Double> seen = new ArrayList<>();
      List<Optional<Observation>> said = new ArrayList<>();
      for (double loss : losses) {
        seen.add(loss);
        said.add(rules.lossTrend(seen, converged));
      }
      return said;
    }

    static double[] concat(double[] a, double[] b) {
      double[] out = Arrays.copyOf(a, a.length + b.length);
      System.arraycopy(b, 0, out, a.length, b.length);
      return out;
    }

    static double[] flat(int n, double value) {
      double[] v = new double[n];
      Arrays.fill(v, value);
      return v;
    }

    @Test
    void decreasingIsSaidOnceTwoWindowsCompareAndNotWhileItHolds() {
      double[] loss = geometric(14, 1.0, 0.9);
      List<Optional<Observation>> said = trend(loss, false);
      assertThat(said.subList(0, 9)).allMatch(Optional::isEmpty);
      assertThat(said.get(9)).contains(new LossDecreasing(mean(loss, 0, 5), mean(loss, 5, 10)));
      assertThat(said.subList(10, 14)).allMatch(Optional::isEmpty);
    }

    @Test
    void risingIsSaidWhenTheMeanRisesMoreThanFivePercent() {
      double[] loss = geometric(12, 1.0, 1.02);
      List<Optional<Observation>> said = trend(loss, false);
      // Each window is 1.02^5 = 10 % above the one before.
      assertThat(said.get(9)).contains(new LossRising(mean(loss, 0, 5), mean(loss, 5, 10)));
      assertThat(said.get(9).orElseThrow().level()).isEqualTo("warning");
      assertThat(said.subList(10, 12)).allMatch(Optional::isEmpty);
    }

    @Test
    void aSmallRiseIsNoTrend() {
      // 1.005^5: windows 2.5 % apart, between the -1 % and +5 % bounds.
      assertThat(trend(geometric(14, 1.0, 1.005), false)).allMatch(Optional::isEmpty);
    }

    @Test
    void plateauIsSaidWhenFifteenEpochsBarelyMoved() {
      List<Optional<Observation>> said = trend(flat(20, 0.5), false);
      assertThat(said.subList(0, 14)).allMatch(Optional::isEmpty);
      assertThat(said.get(14)).contains(new Plateau(0.5));
      assertThat(said.subList(15, 20)).allMatch(Optional::isEmpty);
    }

    @Test
    void noPlateauOnceConverged() {
      assertThat(trend(flat(30, 0.001), true)).allMatch(Optional::isEmpty);
    }

    @Test
    void leavingAPlateauTakesAFivePercentFall() {
      // Plateau at epoch 15; then a 2 % step down says nothing ...
      List<Optional<Observation>> small = trend(concat(flat(15, 1.0), flat(10, 0.98)), false);
      assertThat(small.get(14)).contains(new Plateau(1.0));
      assertThat(small.subList(15, 25)).allMatch(Optional::isEmpty);
      // ... while a 10 % step is a decrease once the window mean has fallen 5 %: at epoch 18
      // (the mean of 1, 1, 0.9, 0.9, 0.9 is 6 % below 1), not at 16 (2 %) as outside a plateau.
      double[] loss = concat(flat(15, 1.0), flat(10, 0.9));
      List<Optional<Observation>> big = trend(loss, false);
      assertThat(big.subList(15, 17)).allMatch(Optional::isEmpty);
      assertThat(big.get(17)).contains(new LossDecreasing(mean(loss, 8, 13), mean(loss, 13, 18)));
    }
  }

  @Nested
  class OverfittingRule {
    /** What the overfitting rule alone says after each epoch, training loss falling 10 %/epoch. */
    List<Optional<Observation>> overfitting(double[] val) {
      InsightRules rules = new InsightRules(3);
      double[] train = geometric(val.length, 1.0, 0.9);
      List<Double> losses = new ArrayList<>();
      List<Optional<Observation>> said = new ArrayList<>();
      for (int i = 0; i < val.length; i++) {
        losses.add(train[i]);
        said.add(rules.overfitting(val[i], losses));
      }
      return said;
    }

    @Test
    void isSaidOnTheFifthRiseAndNotWhileItHolds() {
      // Falls to 0.65 at epoch 8, then rises every epoch: the fifth rise is epoch 13.
      double[] val = new double[20];
      for (int i = 0; i < val.length; i++) val[i] = i < 8 ? 1.0 - 0.05 * i : 0.65 + 0.02 * (i - 7);
      List<Optional<Observation>> said = overfitting(val);
      assertThat(said.subList(0, 12)).allMatch(Optional::isEmpty);
      assertThat(said.get(12)).contains(new Overfitting(val[12], val[7]));
      assertThat(said.subList(13, 20)).allMatch(Optional::isEmpty);
    }

    @Test
    void isSaidAgainAfterANewMinimum() {
      double[] val = {
        1.0,
        0.9,
        0.8,
        0.7,
        0.6,
        0.5,
        0.51,
        0.52,
        0.53,
        0.54,
        0.55,
        0.56, // rises from epoch 7
        0.4,
        0.41,
        0.42,
        0.43,
        0.44,
        0.45 // a new minimum, then rises again
      };
      List<Optional<Observation>> said = overfitting(val);
      // The fifth rise is epoch 11 (rises at 7..11), and again epoch 18 after the minimum at 13.
      assertThat(said.get(10)).contains(new Overfitting(0.55, 0.5));
      assertThat(said.get(11)).isEmpty();
      assertThat(said.get(17)).contains(new Overfitting(0.45, 0.4));
    }

    @Test
    void needsTwoTrainingWindowsToSeeTheTrainingLossFall() {
      // Validation rises from the start: five rises by epoch 6, but the training trend is known
      // from epoch 10.
      List<Optional<Observation>> said = overfitting(geometric(12, 1.0, 1.01));
      assertThat(said.subList(0, 9)).allMatch(Optional::isEmpty);
      assertThat(said.get(9)).isPresent();
    }

    @Test
    void isNotSaidWhileTrainingLossDoesNotFall() {
      InsightRules rules = new InsightRules(3);
      List<Double> flat = new ArrayList<>();
      double[] val = geometric(20, 1.0, 1.01);
      for (double v : val) {
        flat.add(0.5);
        assertThat(rules.overfitting(v, flat)).isEmpty();
      }
    }
  }

  @Nested
  class ConvergedRule {
    @Test
    void isSaidOnceAccuracyReaches995Percent() {
      InsightRules rules = new InsightRules(3);
      assertThat(rules.converged(0.5, 0.99)).isEmpty();
      assertThat(rules.converged(0.5, 0.995)).contains(new Converged(0.995, 0.5));
      assertThat(rules.converged(0.001, 1.0)).isEmpty();
    }

    @Test
    void orOnceTheLossFallsBelowOneHundredth() {
      InsightRules rules = new InsightRules(3);
      assertThat(rules.converged(0.01, 0.6)).isEmpty();
      Observation converged = rules.converged(0.009, 0.6).orElseThrow();
      assertThat(converged.level()).isEqualTo("success");
      assertThat(converged.message()).isEqualTo("Converged: training accuracy 60.0%, loss 0.0090.");
    }
  }

  @Nested
  class DeadReluRule {
    @Test
    void isSaidWhenUnitsDieNotWhileDeadAndAgainAfterTheyRecover() {
      InsightRules rules = new InsightRules(3);
      assertThat(rules.deadRelu(relu(1, 4, 0))).isEmpty();
      Observation dead = rules.deadRelu(relu(1, 4, 2)).orElseThrow();
      assertThat(dead).isEqualTo(new DeadRelu(1, 2, 4));
      assertThat(dead.level()).isEqualTo("warning");
      assertThat(dead.layer()).isEqualTo(1);
      assertThat(rules.deadRelu(relu(1, 4, 3))).isEmpty();
      assertThat(rules.deadRelu(relu(1, 4, 0))).isEmpty();
      assertThat(rules.deadRelu(relu(1, 4, 4)))
          .hasValueSatisfying(o -> assertThat(o.level()).isEqualTo("error"));
    }

    @Test
    void eachLayerIsWatchedOnItsOwn() {
      InsightRules rules = new InsightRules(3);
      assertThat(rules.deadRelu(relu(0, 3, 1))).isPresent();
      assertThat(rules.deadRelu(relu(1, 3, 1))).isPresent();
      assertThat(rules.deadRelu(relu(0, 3, 0))).isEmpty();
      assertThat(rules.deadRelu(relu(1, 3, 1))).isEmpty();
    }

    @Test
    void oneDeadUnitReadsInTheSingular() {
      assertThat(new DeadRelu(0, 1, 3).message())
          .contains("1 unit of layer 1 output zero")
          .contains("flows through it.");
    }

    @Test
    void layersWithoutDeadUnitCountsAreNotWatched() {
      assertThat(new InsightRules(3).deadRelu(sigmoid(0, 0.9))).isEmpty();
    }
  }

  @Nested
  class SaturatedSigmoidRule {
    @Test
    void isSaidWhenMoreThanHalfSaturateNotWhileTheyDoAndAgainAfterward() {
      InsightRules rules = new InsightRules(3);
      assertThat(rules.saturatedSigmoid(sigmoid(2, 0.5))).isEmpty();
      assertThat(rules.saturatedSigmoid(sigmoid(2, 0.51))).contains(new SaturatedSigmoid(2, 0.51));
      assertThat(rules.saturatedSigmoid(sigmoid(2, 0.9))).isEmpty();
      assertThat(rules.saturatedSigmoid(sigmoid(2, 0.2))).isEmpty();
      assertThat(rules.saturatedSigmoid(sigmoid(2, 0.8)))
          .hasValueSatisfying(o -> assertThat(o.message()).contains("80%").contains("layer 3"));
    }

    @Test
    void layersWithoutASaturatedShareAreNotWatched() {
      assertThat(new InsightRules(3).saturatedSigmoid(relu(0, 3, 3))).isEmpty();
    }
  }
}
