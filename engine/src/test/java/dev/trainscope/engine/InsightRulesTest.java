package dev.trainscope.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainscope.engine.InsightRules.Observation;
import dev.trainscope.engine.event.TrainingEvent.LayerStat;
import dev.trainscope.engine.event.TrainingEvent.Summary;
import java.util.ArrayList;
import java.util.List;
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
}
