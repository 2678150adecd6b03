package dev.trainscope.engine.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DenseLayerTest {

  /** L = sum(g * layer(x)); backward(g) must give dL/dW, dL/db and dL/dx. */
  @ParameterizedTest
  @EnumSource(Activation.class)
  void backwardGivesWeightBiasAndInputGradients(Activation f) {
    Random r = new Random(3 + f.ordinal());
    DenseLayer layer = new DenseLayer(4, 3, f);
    fill(layer.weights.value, r, 0.8);
    fill(layer.biases.value, r, 0.5);
    Matrix x = GradientCheck.random(r, 5, 4, 1.5, 0.05);
    Matrix g = GradientCheck.random(r, 5, 3, 1, 0.1);
    layer.forward(x);
    if (f == Activation.RELU || f == Activation.LEAKY_RELU) assertAwayFromKink(layer.linear());
    Matrix dX = layer.backward(g).copy();
    float[] dW = layer.weights.grad.clone();
    float[] db = layer.biases.grad.clone();
    java.util.function.DoubleSupplier loss = () -> GradientCheck.dot(layer.forward(x).data, g.data);
    GradientCheck.check(f.wireName() + " dW", layer.weights.value, dW, loss);
    GradientCheck.check(f.wireName() + " db", layer.biases.value, db, loss);
    GradientCheck.check(f.wireName() + " dX", x.data, dX.data, loss);
  }

  @Test
  void forwardComputesXTimesWPlusB() {
    DenseLayer layer = new DenseLayer(2, 3, Activation.LINEAR);
    // W = [[1, 2, 3], [4, 5, 6]], b = [0.5, -0.5, 0]
    System.arraycopy(new float[] {1, 2, 3, 4, 5, 6}, 0, layer.weights.value, 0, 6);
    System.arraycopy(new float[] {0.5f, -0.5f, 0}, 0, layer.biases.value, 0, 3);
    Matrix out = layer.forward(Matrix.of(new double[][] {{1, 1}, {2, -1}}));
    assertThat(out.data).containsExactly(5.5f, 6.5f, 9, -1.5f, -1.5f, 0);
  }

  @Test
  void gradientsAreRecomputedNotAccumulatedAcrossBatches() {
    DenseLayer layer = new DenseLayer(2, 2, Activation.LINEAR);
    fill(layer.weights.value, new Random(1), 1);
    Matrix x = Matrix.of(new double[][] {{1, 2}});
    Matrix g = Matrix.of(new double[][] {{1, -1}});
    layer.forward(x);
    layer.backward(g);
    float[] first = layer.weights.grad.clone();
    layer.forward(x);
    layer.backward(g);
    assertThat(layer.weights.grad).containsExactly(first, within(0f));
    assertThat(layer.parameterCount()).isEqualTo(2 * 2 + 2);
  }

  static void fill(float[] v, Random r, double scale) {
    for (int i = 0; i < v.length; i++) v[i] = (float) ((2 * r.nextDouble() - 1) * scale);
  }

  static void assertAwayFromKink(Matrix z) {
    for (float v : z.data)
      assertThat(Math.abs(v)).as("|z| away from the kink").isGreaterThan(0.01f);
  }
}
