package dev.trainscope.engine.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ActivationTest {

  /**
   * L = sum(g * f(z)) for a fixed random g, so dL/dz is exactly what backward(z, a, g) returns;
   * compare it with central differences of L. Inputs stay at least 0.1 away from 0.
   */
  @ParameterizedTest
  @EnumSource(Activation.class)
  void backwardMatchesFiniteDifferences(Activation f) {
    Random r = new Random(7 + f.ordinal());
    Matrix z = GradientCheck.random(r, 4, 5, 3, 0.1);
    Matrix g = GradientCheck.random(r, 4, 5, 1, 0.1);
    Matrix a = new Matrix(4, 5);
    f.forward(z, a);
    Matrix dZ = new Matrix(4, 5);
    f.backward(z, a, g, dZ);
    GradientCheck.check(
        f.wireName(),
        z.data,
        dZ.data.clone(),
        () -> {
          Matrix out = new Matrix(4, 5);
          f.forward(z, out);
          return GradientCheck.dot(out.data, g.data);
        });
  }

  @Test
  void elementWiseActivationsMatchTheirDefinitions() {
    double[] zs = {-3, -0.5, 0.25, 2};
    for (double z : zs) {
      assertThat(Activation.RELU.apply(z)).isEqualTo(Math.max(0, z));
      assertThat(Activation.LEAKY_RELU.apply(z)).isEqualTo(z > 0 ? z : 0.01 * z);
      assertThat(Activation.SIGMOID.apply(z)).isCloseTo(1 / (1 + Math.exp(-z)), within(1e-15));
      assertThat(Activation.TANH.apply(z)).isCloseTo(Math.tanh(z), within(1e-15));
      assertThat(Activation.LINEAR.apply(z)).isEqualTo(z);
    }
  }

  @Test
  void sigmoidStaysFiniteForHugeInputs() {
    assertThat(Activation.SIGMOID.apply(-1000)).isBetween(0.0, 1e-300);
    assertThat(Activation.SIGMOID.apply(1000)).isEqualTo(1.0);
  }

  @Test
  void softmaxRowsAreProbabilitiesEvenForHugeLogits() {
    Matrix z = Matrix.of(new double[][] {{1000, 999, -1000}, {2.0, 1.0, 0.1}});
    Matrix a = new Matrix(2, 3);
    Activation.SOFTMAX.forward(z, a);
    for (int r = 0; r < 2; r++) {
      double sum = 0;
      for (int c = 0; c < 3; c++) {
        assertThat(a.get(r, c)).isBetween(0.0, 1.0);
        sum += a.get(r, c);
      }
      assertThat(sum).isCloseTo(1, within(1e-12));
    }
    // exp(1000 - 999) = e: the first two are in ratio e : 1.
    assertThat(a.get(0, 0) / a.get(0, 1)).isCloseTo(Math.E, within(1e-9));
  }

  @Test
  void byNameIsCaseInsensitiveAndNullForUnknownNames() {
    assertThat(Activation.byName("ReLU")).isEqualTo(Activation.RELU);
    assertThat(Activation.byName("leaky_relu")).isEqualTo(Activation.LEAKY_RELU);
    assertThat(Activation.byName("swish")).isNull();
    assertThat(Activation.NAMES)
        .containsExactly("relu", "leaky_relu", "sigmoid", "tanh", "linear", "softmax");
  }
}
