package dev.trainscope.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.trainscope.engine.event.TrainingEvent.LayerStat;
import dev.trainscope.engine.event.TrainingEvent.Summary;
import dev.trainscope.engine.nn.Activation;
import dev.trainscope.engine.nn.DenseLayer;
import dev.trainscope.engine.nn.Loss;
import dev.trainscope.engine.nn.Matrix;
import dev.trainscope.engine.nn.Network;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayerStatisticsTest {
  // Two samples through 2 inputs -> 3 ReLU -> 2 sigmoid. Weights are inputs x units, row-major.
  //   Layer 1, W1 = [[1, -1, -1], [1, 1, -2]], b1 = 0:
  //     [1, 2] -> z = [3, 1, -5] -> a = [3, 1, 0]
  //     [2, 1] -> z = [3, -1, -4] -> a = [3, 0, 0]
  //   Unit 2 is zero for both samples (dead); unit 1 only for the second (alive).
  //   Layer 2, W2 = [[10, 0], [-10, 5], [0, 0]], b2 = [-25, 0]:
  //     [3, 1, 0] -> z = [-5, 5] -> a = [0.0067, 0.9933]   both saturated
  //     [3, 0, 0] -> z = [5, 0]  -> a = [0.9933, 0.5]      one saturated
  static final double[][] SAMPLES = {{1, 2}, {2, 1}};
  static final float[] W1 = {1, -1, -1, 1, 1, -2};
  static final float[] W2 = {10, 0, -10, 5, 0, 0};
  static final float[] B2 = {-25, 0};

  static Network twoLayers() {
    DenseLayer relu = new DenseLayer(2, 3, Activation.RELU);
    DenseLayer sigmoid = new DenseLayer(3, 2, Activation.SIGMOID);
    System.arraycopy(W1, 0, relu.weights.value, 0, W1.length);
    System.arraycopy(W2, 0, sigmoid.weights.value, 0, W2.length);
    System.arraycopy(B2, 0, sigmoid.biases.value, 0, B2.length);
    return new Network(List.of(relu, sigmoid), Loss.CROSS_ENTROPY);
  }

  static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  @Test
  void reluLayerReportsItsZeroOutputsAndTheUnitsZeroForEverySample() {
    Network network = twoLayers();
    network.forward(Matrix.of(SAMPLES));
    LayerStat relu = new LayerStatistics(network).ofLastForward().get(0);

    assertThat(relu.index()).isZero();
    assertThat(relu.activation()).isEqualTo("relu");
    assertThat(relu.units()).isEqualTo(3);
    // Outputs 3, 1, 0 and 3, 0, 0: three of six are zero; only unit 2 is zero in both samples.
    assertThat(relu.deadFraction()).isEqualTo(0.5);
    assertThat(relu.deadUnits()).isEqualTo(1);
    assertThat(relu.saturatedFraction()).isNull();
    Summary a = relu.activations();
    assertThat(a.count()).isEqualTo(6);
    assertThat(a.mean()).isCloseTo(7 / 6.0, within(1e-12));
    // Population std: sqrt(mean of squares - square of mean) = sqrt(19/6 - 49/36) = sqrt(65)/6.
    assertThat(a.std()).isCloseTo(Math.sqrt(65) / 6, within(1e-12));
    assertThat(a.min()).isZero();
    assertThat(a.max()).isEqualTo(3);
  }

  @Test
  void sigmoidLayerReportsTheShareOfOutputsOutsideOnePercentOfItsBounds() {
    Network network = twoLayers();
    network.forward(Matrix.of(SAMPLES));
    LayerStat sigmoid = new LayerStatistics(network).ofLastForward().get(1);

    assertThat(sigmoid.activation()).isEqualTo("sigmoid");
    // sigmoid(-5) = 0.0067 and sigmoid(5) = 0.9933 (twice) are saturated; sigmoid(0) = 0.5 is not.
    assertThat(sigmoid.saturatedFraction()).isEqualTo(0.75);
    assertThat(sigmoid.deadFraction()).isNull();
    assertThat(sigmoid.deadUnits()).isNull();
    double mean = (sigmoid(-5) + 2 * sigmoid(5) + sigmoid(0)) / 4;
    assertThat(sigmoid.activations().count()).isEqualTo(4);
    assertThat(sigmoid.activations().mean()).isCloseTo(mean, within(1e-7));
  }

  @Test
  void otherActivationsHaveNeitherDeadNorSaturatedShares() {
    Network network =
        new Network(
            List.of(
                new DenseLayer(2, 2, Activation.TANH), new DenseLayer(2, 2, Activation.SOFTMAX)),
            Loss.CROSS_ENTROPY);
    network.forward(Matrix.of(SAMPLES));
    assertThat(new LayerStatistics(network).ofLastForward())
        .allSatisfy(
            s -> {
              assertThat(s.deadFraction()).isNull();
              assertThat(s.deadUnits()).isNull();
              assertThat(s.saturatedFraction()).isNull();
            });
  }

  @Test
  void weightsBiasesAndGradientsAreSummarisedAsTheyAre() {
    Network network = twoLayers();
    float[] grad = network.layers().get(0).weights.grad;
    grad[0] = 0.5f;
    grad[1] = -0.5f;
    network.forward(Matrix.of(SAMPLES));
    LayerStat relu = new LayerStatistics(network).ofLastForward().get(0);

    // W1 = [1, -1, -1, 1, 1, -2]: mean -1/6, range [-2, 1].
    assertThat(relu.weights().count()).isEqualTo(6);
    assertThat(relu.weights().mean()).isCloseTo(-1 / 6.0, within(1e-12));
    assertThat(relu.weights().min()).isEqualTo(-2);
    assertThat(relu.weights().max()).isEqualTo(1);
    assertThat(relu.biases().count()).isEqualTo(3);
    assertThat(relu.biases().std()).isZero();
    // Gradients [0.5, -0.5, 0, 0, 0, 0]: mean 0, std sqrt(0.5 / 6).
    assertThat(relu.gradients().mean()).isZero();
    assertThat(relu.gradients().std()).isCloseTo(Math.sqrt(0.5 / 6), within(1e-12));
    assertThat(relu.gradients().histogram().get(0)).isEqualTo(1);
    assertThat(relu.gradients().histogram().get(Stats.BINS - 1)).isEqualTo(1);
  }

  @Test
  void updateRatioIsTheLastRecordedStepAgainstTheWeightNorm() {
    Network network = twoLayers();
    network.forward(Matrix.of(SAMPLES));
    LayerStatistics statistics = new LayerStatistics(network);
    // |W1| = sqrt(1 + 1 + 1 + 1 + 1 + 4) = 3 and |W2| = sqrt(100 + 100 + 25) = 15.
    statistics.recordStep(0, 0.6);
    statistics.recordStep(0, 0.3);
    statistics.recordStep(1, 1.5);
    List<LayerStat> stats = statistics.ofLastForward();
    assertThat(stats.get(0).updateRatio()).isCloseTo(0.1, within(1e-12));
    assertThat(stats.get(1).updateRatio()).isCloseTo(0.1, within(1e-12));
  }

  @Test
  void updateRatioIsZeroWithoutARecordedStepOrWithoutWeights() {
    // A fresh layer's weights are all zero: no ratio to take, even after a step.
    Network zero =
        new Network(List.of(new DenseLayer(2, 2, Activation.SOFTMAX)), Loss.CROSS_ENTROPY);
    zero.forward(Matrix.of(SAMPLES));
    LayerStatistics statistics = new LayerStatistics(zero);
    statistics.recordStep(0, 0.5);
    assertThat(statistics.ofLastForward().get(0).updateRatio()).isZero();

    Network network = twoLayers();
    network.forward(Matrix.of(SAMPLES));
    assertThat(new LayerStatistics(network).ofLastForward())
        .extracting(LayerStat::updateRatio)
        .containsExactly(0.0, 0.0);
  }

  @Test
  void statisticsDescribeTheLastForwardPassOnly() {
    Network network = twoLayers();
    LayerStatistics statistics = new LayerStatistics(network);
    network.forward(Matrix.of(SAMPLES));
    network.forward(Matrix.of(new double[][] {{1, 2}}));
    // Now only [3, 1, 0]: one zero of three, and unit 2 is the one dead unit.
    LayerStat relu = statistics.ofLastForward().get(0);
    assertThat(relu.activations().count()).isEqualTo(3);
    assertThat(relu.deadFraction()).isCloseTo(1 / 3.0, within(1e-12));
    assertThat(relu.deadUnits()).isEqualTo(1);
  }
}
