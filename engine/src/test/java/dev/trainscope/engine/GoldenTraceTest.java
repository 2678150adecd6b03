package dev.trainscope.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.trainscope.engine.config.OptimizerConfig;
import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.engine.event.TrainingEvent.Activations;
import dev.trainscope.engine.event.TrainingEvent.LayerTrace;
import dev.trainscope.engine.nn.Activation;
import dev.trainscope.engine.nn.DenseLayer;
import dev.trainscope.engine.nn.Loss;
import dev.trainscope.engine.nn.Matrix;
import dev.trainscope.engine.nn.Network;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * The worked example of the reference network (4 -> 3 ReLU -> 3 sigmoid -> 3 softmax) for the probe
 * [2.0, -1.0, 0.5, 3.0], checked in the {@code activations} event of a real run.
 */
class GoldenTraceTest {
  static final double[] PROBE = {2.0, -1.0, 0.5, 3.0};
  static final double[] LINEAR_1 = {1.5, -0.5, 2.0};
  static final double[] RELU_1 = {1.5, 0.0, 2.0};
  static final double[] LINEAR_2 = {0.8, -1.2, 0.5};
  static final double[] SIGMOID_2 = {0.69, 0.23, 0.62};
  static final double[] LINEAR_3 = {2.0, 1.0, 0.1};
  static final double[] SOFTMAX_3 = {0.66, 0.24, 0.10};

  // Weights are inputs x units, row-major: W[i][j] links input i to unit j; z = x.W + b.
  // Layer 1, by hand with x = [2, -1, 0.5, 3]:
  //   unit 0: 0.25*2 - 0.5*-1 + 1.0*0.5 + 0*3    + 0     = 0.5 + 0.5 + 0.5       =  1.5
  //   unit 1: 0.5*2  + 1.0*-1 + 0*0.5   - 0.25*3 + 0.25  = 1 - 1 - 0.75 + 0.25   = -0.5
  //   unit 2: 0*2    + 0*-1   + 2.0*0.5 + 0.5*3  - 0.5   = 1 + 1.5 - 0.5         =  2.0
  static final double[][] W1 = {
    {0.25, 0.5, 0.0},
    {-0.5, 1.0, 0.0},
    {1.0, 0.0, 2.0},
    {0.0, -0.25, 0.5}
  };
  static final double[] B1 = {0.0, 0.25, -0.5};
  // Layer 2 with a = [1.5, 0, 2] (the middle weight row meets the dead ReLU and adds nothing):
  //   unit 0:  0.4*1.5 + 0.7*0 + 0.1*2         = 0.6 + 0.2           =  0.8
  //   unit 1: -0.4*1.5 + 1.0*0 - 0.3*2         = -0.6 - 0.6          = -1.2
  //   unit 2:  0.2*1.5 - 2.0*0 + 0.25*2 - 0.3  = 0.3 + 0.5 - 0.3     =  0.5
  static final double[][] W2 = {
    {0.4, -0.4, 0.2},
    {0.7, 1.0, -2.0},
    {0.1, -0.3, 0.25}
  };
  static final double[] B2 = {0.0, 0.0, -0.3};
  // Layer 3 maps the sigmoid outputs s to [2.0, 1.0, 0.1] through W3 and b3 = target - s.W3.
  static final double[][] W3 = {
    {1.0, 0.0, -0.5},
    {0.5, 1.0, 0.0},
    {0.0, -1.0, 1.0}
  };

  static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  static double[] b3() {
    double[] s = new double[3];
    for (int j = 0; j < 3; j++) s[j] = sigmoid(LINEAR_2[j]);
    double[] b = new double[3];
    for (int j = 0; j < 3; j++) {
      double dot = 0;
      for (int i = 0; i < 3; i++) dot += s[i] * W3[i][j];
      b[j] = LINEAR_3[j] - dot;
    }
    return b;
  }

  static void set(DenseLayer layer, double[][] w, double[] b) {
    for (int i = 0; i < w.length; i++) {
      for (int j = 0; j < layer.units; j++)
        layer.weights.value[i * layer.units + j] = (float) w[i][j];
    }
    for (int j = 0; j < b.length; j++) layer.biases.value[j] = (float) b[j];
  }

  static void workedExampleWeights(Network network) {
    set(network.layers().get(0), W1, B1);
    set(network.layers().get(1), W2, B2);
    set(network.layers().get(2), W3, b3());
  }

  static TrainingConfig config() {
    return TrainingConfig.defaults().toBuilder()
        .probe(List.of(2.0, -1.0, 0.5, 3.0))
        .epochs(1)
        // One epoch of training runs before the epoch-1 trace. With this learning rate each of
        // its 8 steps moves a weight by about 1e-12 x (a gradient of order 1), far below the
        // 1e-6 tolerance used here, let alone the two decimals of the worked example.
        .optimizer(OptimizerConfig.sgd(1e-12))
        .build();
  }

  @Test
  void activationsEventReproducesTheWorkedExample() {
    Trainer trainer =
        TestRuns.fixedClock().withInitialWeights(GoldenTraceTest::workedExampleWeights);
    StepVerifier.create(TestRuns.flux(trainer, config(), new RunControl()))
        .thenConsumeWhile(e -> !(e instanceof Activations))
        .assertNext(
            e -> {
              Activations a = (Activations) e;
              assertThat(a.epoch()).isEqualTo(1);
              assertThat(a.input()).containsExactly(2.0, -1.0, 0.5, 3.0);
              List<LayerTrace> layers = a.layers();
              assertThat(layers)
                  .extracting(LayerTrace::activation)
                  .containsExactly("relu", "sigmoid", "softmax");
              assertClose(layers.get(0).linear(), LINEAR_1, 1e-6);
              assertClose(layers.get(0).output(), RELU_1, 1e-6);
              assertClose(layers.get(1).linear(), LINEAR_2, 1e-6);
              assertTwoDecimals(layers.get(1).output(), SIGMOID_2);
              assertClose(layers.get(2).linear(), LINEAR_3, 1e-6);
              assertTwoDecimals(layers.get(2).output(), SOFTMAX_3);
              assertTwoDecimals(a.probabilities(), SOFTMAX_3);
              assertThat(a.probabilities()).isEqualTo(layers.get(2).output());
              assertThat(a.predicted()).isZero();
              assertThat(a.predictedClass()).isEqualTo("setosa");
              assertThat(a.label()).isNull();
              // The traced weights are W as [unit][input]: unit j's row holds W[i][j].
              for (int j = 0; j < 3; j++) {
                for (int i = 0; i < 4; i++) {
                  assertThat(layers.get(0).weights().get(j).get(i))
                      .isCloseTo(W1[i][j], within(1e-9));
                }
              }
            })
        .thenConsumeWhile(e -> !e.isTerminal())
        .expectNextMatches(e -> e instanceof TrainingEvent.RunCompleted)
        .expectComplete()
        .verify(TestRuns.TIMEOUT);
  }

  @Test
  void workedExampleHoldsForTheNetworkItself() {
    Network network =
        Network.create(
            4,
            List.of(3, 3, 3),
            List.of(Activation.RELU, Activation.SIGMOID, Activation.SOFTMAX),
            Loss.CROSS_ENTROPY,
            "he",
            new Random(1));
    workedExampleWeights(network);
    network.forward(Matrix.of(new double[][] {PROBE}));
    // Independently: softmax of [2, 1, 0.1] from its definition. The network computes in float32,
    // so it agrees to float precision (about 1e-7 relative), not to the last double bit.
    double sum = Math.exp(2.0) + Math.exp(1.0) + Math.exp(0.1);
    double[] softmax = {Math.exp(2.0) / sum, Math.exp(1.0) / sum, Math.exp(0.1) / sum};
    float[] out = network.layers().get(2).output().data;
    for (int j = 0; j < 3; j++) assertThat((double) out[j]).isCloseTo(softmax[j], within(1e-6));
    for (int j = 0; j < 3; j++) {
      assertThat((double) network.layers().get(1).output().data[j])
          .isCloseTo(sigmoid(LINEAR_2[j]), within(1e-6));
    }
  }

  static void assertClose(List<Double> actual, double[] expected, double tolerance) {
    assertThat(actual).hasSize(expected.length);
    for (int i = 0; i < expected.length; i++) {
      assertThat(actual.get(i)).as("[%d]", i).isCloseTo(expected[i], within(tolerance));
    }
  }

  /** Equal when rounded half-up to two decimals, as the worked example prints them. */
  static void assertTwoDecimals(List<Double> actual, double[] expected) {
    assertThat(actual).hasSize(expected.length);
    for (int i = 0; i < expected.length; i++) {
      assertThat(Math.round(actual.get(i) * 100) / 100.0).as("[%d]", i).isEqualTo(expected[i]);
    }
  }
}
