package dev.trainscope.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.trainscope.engine.event.TrainingEvent.LayerStat;
import dev.trainscope.engine.nn.Activation;
import dev.trainscope.engine.nn.DenseLayer;
import dev.trainscope.engine.nn.Loss;
import dev.trainscope.engine.nn.Matrix;
import dev.trainscope.engine.nn.Network;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluatorTest {
  /** 300 samples: more than one chunk, and a short last one. */
  static final int N = 300;

  // One input -> 2 softmax with W = [[1, -1]], b = 0: x becomes z = [x, -x], so class 0 is
  // predicted for x > 0 and class 1 for x < 0, with p(class 0) = 1 / (1 + e^(-2x)).
  static Network network() {
    DenseLayer layer = new DenseLayer(1, 2, Activation.SOFTMAX);
    layer.weights.value[0] = 1;
    layer.weights.value[1] = -1;
    return new Network(List.of(layer), Loss.CROSS_ENTROPY);
  }

  /** x alternates 1, -0.5; labels are 0 for every third sample, else 1. */
  static double[][] features() {
    double[][] x = new double[N][1];
    for (int i = 0; i < N; i++) x[i][0] = i % 2 == 0 ? 1 : -0.5;
    return x;
  }

  static int[] labels() {
    int[] y = new int[N];
    for (int i = 0; i < N; i++) y[i] = i % 3 == 0 ? 0 : 1;
    return y;
  }

  static Evaluator evaluator(Network network) {
    return new Evaluator(network, new LayerStatistics(network), N, 1);
  }

  @Test
  void evaluationIsTheMeanLossAndAccuracyOverEveryChunk() {
    double[][] x = features();
    int[] y = labels();
    double lossSum = 0;
    int correct = 0;
    for (int i = 0; i < N; i++) {
      double p0 = 1 / (1 + Math.exp(-2 * x[i][0]));
      lossSum += -Math.log(y[i] == 0 ? p0 : 1 - p0);
      if ((x[i][0] > 0 ? 0 : 1) == y[i]) correct++;
    }
    Evaluator.Evaluation e = evaluator(network()).evaluate(Matrix.of(x), y, false);
    assertThat(e.loss()).isCloseTo(lossSum / N, within(1e-6));
    assertThat(e.accuracy()).isEqualTo((double) correct / N);
    assertThat(e.stats()).isNull();
  }

  @Test
  void statisticsAreThoseOfTheFirstChunk() {
    Network network = network();
    Evaluator evaluator = evaluator(network);
    Matrix x = Matrix.of(features());
    List<LayerStat> withEvaluation = evaluator.evaluate(x, labels(), true).stats();
    assertThat(withEvaluation.get(0).activations().count()).isEqualTo(Evaluator.CHUNK * 2L);
    List<LayerStat> alone = evaluator.statsOfFirstChunk(x);
    assertThat(alone).isEqualTo(withEvaluation);
    // A set smaller than a chunk counts whole.
    Matrix small = Matrix.of(new double[][] {{1}, {-1}, {2}});
    assertThat(evaluator.statsOfFirstChunk(small).get(0).activations().count()).isEqualTo(6);
  }

  @Test
  void confusionCountsTrueClassesByRowAndPredictionsByColumn() {
    int[][] m = evaluator(network()).confusion(Matrix.of(features()), labels(), 2);
    // i % 6 decides both: label 0 at i % 3 == 0, prediction 0 at even i.
    //   i % 6 = 0: (0, 0)   1: (1, 1)   2: (1, 0)   3: (0, 1)   4: (1, 0)   5: (1, 1)
    int each = N / 6;
    assertThat(m).isDeepEqualTo(new int[][] {{each, each}, {2 * each, 2 * each}});
  }

  @Test
  void correctCountComparesEachRowsArgmaxWithItsLabel() {
    Matrix out = Matrix.of(new double[][] {{0.9, 0.1}, {0.2, 0.8}, {0.6, 0.4}});
    assertThat(Evaluator.correctCount(out, new int[] {0, 1, 1})).isEqualTo(2);
  }
}
