package dev.trainscope.engine.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NetworkTest {
  static final int[] LABELS = {0, 1, 2, 1, 0, 2};

  private static void checkWholeNetwork(List<Activation> activations, Loss loss, long seed) {
    Random r = new Random(seed);
    Network net = Network.create(4, List.of(5, 4, 3), activations, loss, "glorot", r);
    for (DenseLayer l : net.layers()) DenseLayerTest.fill(l.biases.value, r, 0.3);
    Matrix x = GradientCheck.random(r, LABELS.length, 4, 2, 0.05);
    net.forward(x);
    for (DenseLayer l : net.layers()) {
      if (l.activation == Activation.RELU || l.activation == Activation.LEAKY_RELU) {
        DenseLayerTest.assertAwayFromKink(l.linear());
      }
    }
    net.backward(LABELS);
    java.util.function.DoubleSupplier lossOf = () -> net.lossOf(x, LABELS);
    for (int i = 0; i < net.layers().size(); i++) {
      DenseLayer l = net.layers().get(i);
      float[] dW = l.weights.grad.clone(), db = l.biases.grad.clone();
      GradientCheck.check("layer " + i + " dW", l.weights.value, dW, lossOf);
      GradientCheck.check("layer " + i + " db", l.biases.value, db, lossOf);
    }
  }

  @Test
  void fusedSoftmaxCrossEntropyGradientsMatchFiniteDifferences() {
    checkWholeNetwork(
        List.of(Activation.TANH, Activation.LEAKY_RELU, Activation.SOFTMAX),
        Loss.CROSS_ENTROPY,
        21);
  }

  @Test
  void reluAndSigmoidLayersUnderCrossEntropyMatchFiniteDifferences() {
    checkWholeNetwork(
        List.of(Activation.RELU, Activation.SIGMOID, Activation.SOFTMAX), Loss.CROSS_ENTROPY, 22);
  }

  @Test
  void mseGradientsMatchFiniteDifferences() {
    checkWholeNetwork(List.of(Activation.RELU, Activation.TANH, Activation.SIGMOID), Loss.MSE, 23);
  }

  @Test
  void mseThroughSoftmaxUsesTheSoftmaxJacobian() {
    checkWholeNetwork(
        List.of(Activation.SIGMOID, Activation.LINEAR, Activation.SOFTMAX), Loss.MSE, 24);
  }

  @Test
  void crossEntropyWithoutSoftmaxTakesTheGeneralPath() {
    checkWholeNetwork(
        List.of(Activation.TANH, Activation.RELU, Activation.SIGMOID), Loss.CROSS_ENTROPY, 25);
  }

  @Test
  void backwardReturnsTheLossOfTheLastForwardPass() {
    Random r = new Random(5);
    Network net =
        Network.create(
            2,
            List.of(3, 2),
            List.of(Activation.RELU, Activation.SOFTMAX),
            Loss.CROSS_ENTROPY,
            "auto",
            r);
    Matrix x = GradientCheck.random(r, 3, 2, 1, 0);
    int[] y = {0, 1, 1};
    double expected = net.lossOf(x, y);
    net.forward(x);
    assertThat(net.backward(y)).isEqualTo(expected);
    assertThat(net.parameterCount()).isEqualTo(2 * 3 + 3 + 3 * 2 + 2);
    assertThat(net.inputs()).isEqualTo(2);
    assertThat(net.outputs()).isEqualTo(2);
  }

  @Test
  void initialisationIsSeededAndScaledByFanIn() {
    List<Activation> acts = List.of(Activation.RELU, Activation.SOFTMAX);
    Network a = Network.create(200, List.of(300, 2), acts, Loss.CROSS_ENTROPY, "he", new Random(9));
    Network b = Network.create(200, List.of(300, 2), acts, Loss.CROSS_ENTROPY, "he", new Random(9));
    assertThat(a.layers().get(0).weights.value).isEqualTo(b.layers().get(0).weights.value);
    // He: variance 2 / fan-in. 60,000 draws estimate it within a few percent.
    float[] w = a.layers().get(0).weights.value;
    double sq = 0;
    for (float v : w) sq += (double) v * v;
    assertThat(sq / w.length).isBetween(0.95 * 2.0 / 200, 1.05 * 2.0 / 200);
    assertThat(a.layers().get(0).biases.value).containsOnly(0f);
    Network g =
        Network.create(200, List.of(300, 2), acts, Loss.CROSS_ENTROPY, "glorot", new Random(9));
    float limit = (float) Math.sqrt(6.0 / (200 + 300));
    float largest = 0;
    for (float v : g.layers().get(0).weights.value) largest = Math.max(largest, Math.abs(v));
    assertThat(largest).isLessThanOrEqualTo(limit);
  }
}
