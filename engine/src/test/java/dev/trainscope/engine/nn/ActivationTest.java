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
    float[] zs = {-3, -0.5f, 0.25f, 2};
    for (float z : zs) {
      assertThat(Activation.RELU.apply(z)).isEqualTo(Math.max(0, z));
      assertThat(Activation.LEAKY_RELU.apply(z)).isEqualTo(z > 0 ? z : 0.01f * z);
      // Computed in double and rounded once: the nearest float to the exact value.
      assertThat(Activation.SIGMOID.apply(z)).isEqualTo((float) (1 / (1 + Math.exp(-z))));
      assertThat(Activation.TANH.apply(z)).isEqualTo((float) Math.tanh(z));
      assertThat(Activation.LINEAR.apply(z)).isEqualTo(z);
    }
  }

  /** ReLU's array loops must agree with apply and derivative, at the edges too. */
  @Test
  void reluLoopsMatchTheElementWiseDefinitions() {
    float[] zs = {
      Float.MIN_VALUE,
      Float.MIN_NORMAL,
      1e-30f,
      0.5f,
      Float.MAX_VALUE,
      0f,
      -0f,
      -Float.MIN_VALUE,
      -2f,
      -Float.MAX_VALUE,
      Float.POSITIVE_INFINITY,
      Float.NEGATIVE_INFINITY
    };
    Matrix z = new Matrix(1, zs.length, zs.clone()), a = new Matrix(1, zs.length);
    Matrix g = new Matrix(1, zs.length), dZ = new Matrix(1, zs.length);
    for (int i = 0; i < zs.length; i++) g.data[i] = i % 2 == 0 ? 1.5f : -3f;
    Activation.RELU.forward(z, a);
    Activation.RELU.backward(z, a, g, dZ);
    for (int i = 0; i < zs.length; i++) {
      assertThat(a.data[i]).as("relu(%s)", zs[i]).isEqualTo(Activation.RELU.apply(zs[i]));
      float expected = g.data[i] * Activation.RELU.derivative(zs[i], a.data[i]);
      assertThat(Float.floatToIntBits(dZ.data[i]))
          .as("dZ at %s", zs[i])
          .isEqualTo(Float.floatToIntBits(expected));
    }
  }

  @Test
  void sigmoidStaysFiniteForHugeInputs() {
    assertThat(Activation.SIGMOID.apply(-1000)).isEqualTo(0f);
    assertThat(Activation.SIGMOID.apply(1000)).isEqualTo(1f);
  }

  @Test
  void softmaxRowsAreProbabilitiesEvenForHugeLogits() {
    Matrix z = Matrix.of(new double[][] {{1000, 999, -1000}, {2.0, 1.0, 0.1}});
    Matrix a = new Matrix(2, 3);
    Activation.SOFTMAX.forward(z, a);
    for (int r = 0; r < 2; r++) {
      double sum = 0;
      for (int c = 0; c < 3; c++) {
        assertThat(a.get(r, c)).isBetween(0f, 1f);
        sum += a.get(r, c);
      }
      // Each probability is within a float rounding of exact.
      assertThat(sum).isCloseTo(1, within(1e-6));
    }
    // exp(1000 - 999) = e: the first two are in ratio e : 1.
    assertThat((double) a.get(0, 0) / a.get(0, 1)).isCloseTo(Math.E, within(1e-6));
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
