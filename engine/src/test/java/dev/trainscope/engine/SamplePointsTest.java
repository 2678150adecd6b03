package dev.trainscope.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.engine.data.Dataset;
import dev.trainscope.engine.data.Split;
import dev.trainscope.engine.event.DataPoints;
import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.engine.event.TrainingEvent.RunStarted;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SamplePointsTest {
  @Test
  void pointsAreTheSplitsSamplesInTheDataSetsOwnUnits() {
    Dataset data = grid(10, 1);
    Split split = Split.stratified(data, 0.3, new Random(7));
    DataPoints points = SamplePoints.of(split).withHeader("r", 1, 0);
    assertThat(points.stride()).isEqualTo(1);
    assertThat(points.train().x()).hasSize(split.trainY.length);
    assertThat(points.validation().x()).hasSize(split.valY.length);
    for (int k = 0; k < split.valY.length; k++) {
      double[] f = data.features(split.validationIndices[k]);
      assertThat(points.validation().x().get(k)).isCloseTo(f[0], within(1e-4));
      assertThat(points.validation().y().get(k)).isCloseTo(f[1], within(1e-4));
      assertThat(points.validation().label().get(k))
          .isEqualTo(data.label(split.validationIndices[k]));
    }
    // Standardising with the event's mean and std gives back the network's inputs.
    for (int k = 0; k < split.trainY.length; k++) {
      double z = (points.train().x().get(k) - points.mean().get(0)) / points.std().get(0);
      assertThat(z).isCloseTo(split.trainX.data[2 * k], within(1e-4));
      assertThat(points.train().label().get(k)).isEqualTo(split.trainY[k]);
    }
  }

  @Test
  void aLargeSplitIsThinnedByOneStrideForBoth() {
    Dataset data = grid(100, 1); // 10,000 samples, 8,000 for training
    Split split = Split.stratified(data, 0.2, new Random(7));
    DataPoints points = SamplePoints.of(split).withHeader("r", 1, 0);
    assertThat(points.stride()).isEqualTo(4);
    assertThat(points.train().x()).hasSize(2000).hasSizeLessThanOrEqualTo(DataPoints.MAX_POINTS);
    assertThat(points.validation().x()).hasSize(500);
    // Point k is sample k * stride of its split.
    double z = (points.train().y().get(3) - points.mean().get(1)) / points.std().get(1);
    assertThat(z).isCloseTo(split.trainX.data[2 * 12 + 1], within(1e-4));
  }

  @Test
  void onlyTwoInputRunsSendPointsRightAfterRunStarted() {
    List<TrainingEvent> circles =
        TestRuns.collect(
            TrainingConfig.defaults().toBuilder().dataset("circles").epochs(2).build());
    assertThat(circles.get(0)).isInstanceOf(RunStarted.class);
    assertThat(circles.get(1)).isInstanceOf(DataPoints.class);
    assertThat(TestRuns.ofType(circles, DataPoints.class)).hasSize(1);
    RunStarted started = (RunStarted) circles.get(0);
    DataPoints points = (DataPoints) circles.get(1);
    assertThat(points.train().x()).hasSize(started.dataset().trainSize());
    assertThat(points.validation().x()).hasSize(started.dataset().validationSize());

    List<TrainingEvent> iris =
        TestRuns.collect(TrainingConfig.defaults().toBuilder().epochs(2).build());
    assertThat(TestRuns.ofType(iris, DataPoints.class)).isEmpty();
  }

  /** n x n points on a lattice, two classes by the sign of x - y. */
  private static Dataset grid(int n, double step) {
    double[][] f = new double[n * n][];
    int[] labels = new int[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        f[i * n + j] = new double[] {10 + i * step, -3 + j * step * 0.5};
        labels[i * n + j] = i > j ? 1 : 0;
      }
    }
    return new Dataset("lattice", List.of("a", "b"), List.of("low", "high"), f, labels);
  }
}
