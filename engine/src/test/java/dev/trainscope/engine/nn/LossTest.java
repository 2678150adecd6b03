package dev.trainscope.engine.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LossTest {
  static final int[] LABELS = {0, 2, 1, 2};

  @ParameterizedTest
  @EnumSource(Loss.class)
  void gradientMatchesFiniteDifferences(Loss loss) {
    Random r = new Random(11);
    Matrix out = new Matrix(4, 3);
    // Probability-like outputs in [0.05, 0.95]: valid for cross-entropy, fine for mse.
    for (int i = 0; i < out.data.length; i++) out.data[i] = (float) (0.05 + 0.9 * r.nextDouble());
    Matrix dOut = new Matrix(4, 3);
    loss.gradient(out, LABELS, dOut);
    GradientCheck.check(
        loss.wireName(), out.data, dOut.data.clone(), () -> loss.value(out, LABELS));
  }

  @Test
  void crossEntropyIsMeanNegativeLogProbabilityOfTheLabel() {
    Matrix p = Matrix.of(new double[][] {{0.7, 0.2, 0.1}, {0.25, 0.25, 0.5}});
    // The probabilities are floats; the loss is taken in double from exactly those.
    double expected = -(Math.log(0.7f) + Math.log(0.5f)) / 2;
    assertThat(Loss.CROSS_ENTROPY.value(p, new int[] {0, 2})).isCloseTo(expected, within(1e-15));
  }

  @Test
  void crossEntropyOfAZeroProbabilityIsLargeButFinite() {
    Matrix p = Matrix.of(new double[][] {{1, 0}});
    double value = Loss.CROSS_ENTROPY.value(p, new int[] {1});
    assertThat(value).isCloseTo(-Math.log(Loss.MIN_PROBABILITY), within(1e-9));
  }

  @Test
  void mseAveragesOverSamplesAndOutputs() {
    Matrix out = Matrix.of(new double[][] {{0.5, 0.5}, {1, 1}});
    // targets [1, 0] and [0, 1]: squared errors 0.25 + 0.25 + 1 + 0 over 4 entries
    assertThat(Loss.MSE.value(out, new int[] {0, 1})).isCloseTo(1.5 / 4, within(1e-15));
  }

  @Test
  void byNameRejectsUnknownLosses() {
    assertThat(Loss.byName("MSE")).isEqualTo(Loss.MSE);
    assertThatThrownBy(() -> Loss.byName("hinge")).hasMessageContaining("hinge");
  }
}
