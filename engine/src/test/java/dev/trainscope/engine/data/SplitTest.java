package dev.trainscope.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SplitTest {
  static final Dataset IRIS = Datasets.load("iris", 200, 0, 42);

  static int[] counts(int[] labels, int classes) {
    int[] c = new int[classes];
    for (int y : labels) c[y]++;
    return c;
  }

  @Test
  void validationTakesTheSameFractionOfEachClass() {
    Split s = Split.stratified(IRIS, 0.2, new Random(1));
    // 50 of each class: round(0.2 * 50) = 10 to validation, 40 to training.
    assertThat(counts(s.valY, 3)).containsExactly(10, 10, 10);
    assertThat(counts(s.trainY, 3)).containsExactly(40, 40, 40);
    assertThat(s.trainX.rows).isEqualTo(120);
    assertThat(s.valX.rows).isEqualTo(30);
    assertThat(s.hasValidation()).isTrue();
  }

  @Test
  void unevenClassesAreSplitPerClass() {
    // 30 of class 0, 10 of class 1, fraction 0.25: 8 (7.5 rounded) and 3 (2.5 rounded).
    Dataset d = synthetic(30, 10);
    Split s = Split.stratified(d, 0.25, new Random(3));
    assertThat(counts(s.valY, 2)).containsExactly(8, 3);
    assertThat(counts(s.trainY, 2)).containsExactly(22, 7);
  }

  @Test
  void everyClassKeepsATrainingSample() {
    Split s = Split.stratified(synthetic(20, 1), 0.9, new Random(3));
    assertThat(counts(s.trainY, 2)[1]).isEqualTo(1);
    assertThat(counts(s.valY, 2)[1]).isZero();
  }

  @Test
  void zeroFractionMeansNoValidation() {
    Split s = Split.stratified(IRIS, 0, new Random(1));
    assertThat(s.hasValidation()).isFalse();
    assertThat(s.trainY).hasSize(150);
  }

  @Test
  void validationSamplesAreDistinctAndDisjointFromTraining() {
    Split s = Split.stratified(IRIS, 0.2, new Random(1));
    Set<Integer> val = new HashSet<>();
    for (int i : s.validationIndices) val.add(i);
    assertThat(val).hasSize(30);
    for (int r = 0; r < s.valY.length; r++) {
      assertThat(s.valY[r]).isEqualTo(IRIS.label(s.validationIndices[r]));
    }
  }

  @Test
  void standardisationUsesTrainingStatisticsOnly() {
    Split s = Split.stratified(IRIS, 0.2, new Random(1));
    Set<Integer> val = new HashSet<>();
    for (int i : s.validationIndices) val.add(i);
    int f = IRIS.featureCount();
    for (int j = 0; j < f; j++) {
      // Independently: mean and population std of the raw training samples.
      double sum = 0, n = 0;
      for (int i = 0; i < IRIS.size(); i++) {
        if (!val.contains(i)) {
          sum += IRIS.features(i)[j];
          n++;
        }
      }
      double mean = sum / n, sq = 0;
      for (int i = 0; i < IRIS.size(); i++) {
        if (!val.contains(i)) sq += Math.pow(IRIS.features(i)[j] - mean, 2);
      }
      double std = Math.sqrt(sq / n);
      assertThat(s.mean[j]).isCloseTo(mean, within(1e-12));
      assertThat(s.std[j]).isCloseTo(std, within(1e-12));
      double[] trainColumn = column(s.trainX.data, f, j);
      // The standardised features are stored as float32: exact to about 1e-7 relative.
      assertThat(meanOf(trainColumn)).isCloseTo(0, within(1e-6));
      assertThat(stdOf(trainColumn)).isCloseTo(1, within(1e-6));
      for (int r = 0; r < s.valY.length; r++) {
        double raw = IRIS.features(s.validationIndices[r])[j];
        assertThat(s.valX.get(r, j)).isEqualTo((float) ((raw - mean) / std));
      }
    }
    // The validation set was not standardised on its own statistics.
    double worst = 0;
    for (int j = 0; j < f; j++)
      worst = Math.max(worst, Math.abs(meanOf(column(s.valX.data, f, j))));
    assertThat(worst).isGreaterThan(1e-3);
  }

  @Test
  void constantFeatureBecomesZeroNotNaN() {
    double[][] x = new double[10][];
    int[] y = new int[10];
    for (int i = 0; i < 10; i++) {
      x[i] = new double[] {5, i};
      y[i] = i % 2;
    }
    Dataset d = new Dataset("c", List.of("const", "i"), List.of("a", "b"), x, y);
    Split s = Split.stratified(d, 0.2, new Random(1));
    assertThat(column(s.trainX.data, 2, 0)).containsOnly(0.0);
  }

  @Test
  void sameRandomSeedGivesTheSameSplit() {
    Split a = Split.stratified(IRIS, 0.2, new Random(5));
    Split b = Split.stratified(IRIS, 0.2, new Random(5));
    Split c = Split.stratified(IRIS, 0.2, new Random(6));
    assertThat(a.validationIndices).isEqualTo(b.validationIndices);
    assertThat(a.trainX.data).isEqualTo(b.trainX.data);
    assertThat(a.validationIndices).isNotEqualTo(c.validationIndices);
  }

  static Dataset synthetic(int zeros, int ones) {
    int n = zeros + ones;
    double[][] x = new double[n][];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      x[i] = new double[] {i, i * i};
      y[i] = i < zeros ? 0 : 1;
    }
    return new Dataset("s", List.of("a", "b"), List.of("0", "1"), x, y);
  }

  static double[] column(float[] data, int cols, int j) {
    double[] c = new double[data.length / cols];
    for (int r = 0; r < c.length; r++) c[r] = data[r * cols + j];
    return c;
  }

  static double meanOf(double[] v) {
    return Arrays.stream(v).average().orElseThrow();
  }

  static double stdOf(double[] v) {
    double m = meanOf(v);
    return Math.sqrt(Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / v.length);
  }
}
