package dev.trainscope.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.engine.data.Dataset;
import dev.trainscope.engine.data.Split;
import dev.trainscope.engine.event.TrainingEvent.Activations;
import dev.trainscope.engine.event.TrainingEvent.LayerTrace;
import dev.trainscope.engine.nn.Activation;
import dev.trainscope.engine.nn.DenseLayer;
import dev.trainscope.engine.nn.Loss;
import dev.trainscope.engine.nn.Network;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProbeTraceTest {
  static final List<String> CLASSES = List.of("cat", "dog");

  // The probe [1, 2] through 2 inputs -> 2 ReLU -> 2 softmax. Weights are inputs x units.
  //   Layer 1, W1 = [[0.5, -1], [0.25, 0.1]], b1 = [0.1, 0]:
  //     z = [0.5 + 0.5 + 0.1, -1 + 0.2] = [1.1, -0.8] -> a = [1.1, 0]
  //   Layer 2, W2 = [[1, -1], [3, 2]], b2 = [0, 0.2] (the second row meets the dead unit):
  //     z = [1.1, -1.1 + 0.2] = [1.1, -0.9] -> softmax
  static final double[] PROBE = {1, 2};

  static Network twoLayers() {
    DenseLayer relu = new DenseLayer(2, 2, Activation.RELU);
    DenseLayer softmax = new DenseLayer(2, 2, Activation.SOFTMAX);
    set(relu, new float[] {0.5f, -1, 0.25f, 0.1f}, new float[] {0.1f, 0});
    set(softmax, new float[] {1, -1, 3, 2}, new float[] {0, 0.2f});
    return new Network(List.of(relu, softmax), Loss.CROSS_ENTROPY);
  }

  static void set(DenseLayer layer, float[] w, float[] b) {
    System.arraycopy(w, 0, layer.weights.value, 0, w.length);
    System.arraycopy(b, 0, layer.biases.value, 0, b.length);
  }

  static Activations trace(ProbeTrace probe, int epoch) {
    return probe.trace(epoch).withHeader("run-1", 7, 99);
  }

  @Test
  void traceFollowsTheProbeLayerByLayer() {
    Activations a = trace(new ProbeTrace(twoLayers(), CLASSES, PROBE, 1), 3);

    assertThat(a.runId()).isEqualTo("run-1");
    assertThat(a.seq()).isEqualTo(7);
    assertThat(a.time()).isEqualTo(99);
    assertThat(a.epoch()).isEqualTo(3);
    assertThat(a.input()).containsExactly(1.0, 2.0);
    List<LayerTrace> layers = a.layers();
    assertThat(layers).extracting(LayerTrace::index).containsExactly(0, 1);
    assertThat(layers).extracting(LayerTrace::activation).containsExactly("relu", "softmax");
    assertThat(layers).extracting(LayerTrace::inputs).containsExactly(2, 2);
    assertThat(layers).extracting(LayerTrace::units).containsExactly(2, 2);
    assertClose(layers.get(0).linear(), 1.1, -0.8);
    assertClose(layers.get(0).output(), 1.1, 0.0);
    assertClose(layers.get(1).linear(), 1.1, -0.9);
    // softmax([1.1, -0.9]) from its definition: the classes differ by 2 in z.
    double p0 = 1 / (1 + Math.exp(-2));
    assertClose(layers.get(1).output(), p0, 1 - p0);
    assertThat(a.probabilities()).isEqualTo(layers.get(1).output());
    assertThat(a.predicted()).isZero();
    assertThat(a.predictedClass()).isEqualTo("cat");
    assertThat(a.label()).isEqualTo(1);
    assertThat(a.labelClass()).isEqualTo("dog");
  }

  @Test
  void weightsAreTracedAsUnitByInputInShortestDecimals() {
    Activations a = trace(new ProbeTrace(twoLayers(), CLASSES, PROBE, null), 1);
    // Unit j's row holds W[i][j]; 0.1f reads 0.1, not 0.10000000149011612.
    assertThat(a.layers().get(0).weights()).containsExactly(List.of(0.5, 0.25), List.of(-1.0, 0.1));
    assertThat(a.layers().get(1).weights()).containsExactly(List.of(1.0, 3.0), List.of(-1.0, 2.0));
  }

  @Test
  void layersOfMoreThanTheTracedMaximumCarryNoWeights() {
    // 1 x 1024 weights are traced; 1024 x 2 = 2048 are not.
    Network network =
        new Network(
            List.of(
                new DenseLayer(1, LayerTrace.MAX_TRACED_WEIGHTS, Activation.LINEAR),
                new DenseLayer(LayerTrace.MAX_TRACED_WEIGHTS, 2, Activation.SOFTMAX)),
            Loss.CROSS_ENTROPY);
    Activations a = trace(new ProbeTrace(network, CLASSES, new double[] {1}, null), 1);
    assertThat(a.layers().get(0).weights()).hasSize(LayerTrace.MAX_TRACED_WEIGHTS);
    assertThat(a.layers().get(1).weights()).isNull();
  }

  @Test
  void aProbeFromOutsideTheDataSetHasNoLabel() {
    Activations a = trace(new ProbeTrace(twoLayers(), CLASSES, PROBE, null), 1);
    assertThat(a.label()).isNull();
    assertThat(a.labelClass()).isNull();
  }

  @Test
  void theTraceIsTakenWhenAskedForNotWhenTheEventGetsItsHeader() {
    Network network = twoLayers();
    EventBody<Activations> body = new ProbeTrace(network, CLASSES, PROBE, 1).trace(1);
    network.layers().get(1).biases.value[1] = 5;
    assertClose(body.withHeader("run-1", 0, 0).layers().get(1).linear(), 1.1, -0.9);
  }

  @Test
  void theProbeIsTheConfigsElseTheFirstValidationElseTheFirstTrainingSample() {
    Dataset data =
        new Dataset(
            "four",
            List.of("x", "y"),
            CLASSES,
            new double[][] {{0, 1}, {1, 3}, {2, 0}, {3, 5}},
            new int[] {0, 0, 1, 1});
    TrainingConfig config = TrainingConfig.defaults();
    TrainingConfig withProbe = config.toBuilder().probe(List.of(0.5, -0.5)).build();

    Split split = Split.stratified(data, 0.5, new Random(1));
    Activations own = trace(ProbeTrace.of(twoLayers(), CLASSES, withProbe, split), 1);
    assertThat(own.input()).containsExactly(0.5, -0.5);
    assertThat(own.label()).isNull();

    Activations val = trace(ProbeTrace.of(twoLayers(), CLASSES, config, split), 1);
    assertThat(val.input()).containsExactly(decimals(split.valX.row(0)));
    assertThat(val.label()).isEqualTo(split.valY[0]);

    Split trainOnly = Split.stratified(data, 0, new Random(1));
    Activations train = trace(ProbeTrace.of(twoLayers(), CLASSES, config, trainOnly), 1);
    assertThat(train.input()).containsExactly(decimals(trainOnly.trainX.row(0)));
    assertThat(train.label()).isEqualTo(trainOnly.trainY[0]);
  }

  @Test
  void decimalIsTheShortestDecimalOfTheFloat() {
    assertThat(ProbeTrace.decimal(0.69f)).isEqualTo(0.69);
    assertThat((double) 0.69f).isNotEqualTo(0.69);
    assertThat((float) ProbeTrace.decimal(0.69f)).isEqualTo(0.69f);
    assertThat(ProbeTrace.decimal(-3f)).isEqualTo(-3.0);
  }

  static Double[] decimals(float[] v) {
    Double[] out = new Double[v.length];
    for (int i = 0; i < v.length; i++) out[i] = ProbeTrace.decimal(v[i]);
    return out;
  }

  static void assertClose(List<Double> actual, double... expected) {
    assertThat(actual).hasSize(expected.length);
    for (int i = 0; i < expected.length; i++) {
      assertThat(actual.get(i)).as("[%d]", i).isCloseTo(expected[i], within(1e-6));
    }
  }
}
