package dev.trainscope.engine;

import dev.trainscope.engine.event.TrainingEvent.LayerStat;
import dev.trainscope.engine.nn.Activation;
import dev.trainscope.engine.nn.DenseLayer;
import dev.trainscope.engine.nn.Matrix;
import dev.trainscope.engine.nn.Network;
import java.util.ArrayList;
import java.util.List;

/**
 * What a {@code layer-stats} event says about each layer: summaries of its weights, biases,
 * gradients and activations, the share of dead (ReLU) or saturated (sigmoid) outputs, and how large
 * the last measured step was against the weights.
 */
final class LayerStatistics {
  private final List<DenseLayer> layers;

  /** Per layer, the Frobenius norm of the last measured step of its weights. */
  private final double[] stepNorms;

  LayerStatistics(Network network) {
    this.layers = network.layers();
    this.stepNorms = new double[layers.size()];
  }

  /** Records the norm of the step the optimizer just gave the weights of layer {@code index}. */
  void recordStep(int index, double stepNorm) {
    stepNorms[index] = stepNorm;
  }

  /**
   * The statistics of every layer over the samples of the network's last forward pass, with the
   * gradients of its last backward pass and the last recorded steps.
   */
  List<LayerStat> ofLastForward() {
    List<LayerStat> stats = new ArrayList<>(layers.size());
    for (int i = 0; i < layers.size(); i++) stats.add(of(i, layers.get(i)));
    return stats;
  }

  private LayerStat of(int index, DenseLayer layer) {
    Matrix out = layer.output();
    float[] a = out.data;
    Double deadFraction = null, saturated = null;
    Integer deadUnits = null;
    if (layer.activation == Activation.RELU) {
      deadFraction = (double) count(a, v -> v == 0) / a.length;
      deadUnits = unitsZeroForEverySample(out);
    } else if (layer.activation == Activation.SIGMOID) {
      saturated = (double) count(a, v -> v < 0.01f || v > 0.99f) / a.length;
    }
    double weightNorm = Stats.norm(layer.weights.value);
    return new LayerStat(
        index,
        layer.activation.wireName(),
        layer.units,
        Stats.summarize(layer.weights.value),
        Stats.summarize(layer.biases.value),
        Stats.summarize(layer.weights.grad),
        Stats.summarize(a),
        deadFraction,
        deadUnits,
        saturated,
        weightNorm > 0 ? stepNorms[index] / weightNorm : 0);
  }

  /** Units (columns) whose output is zero in every sample (row): no gradient reaches them. */
  private static int unitsZeroForEverySample(Matrix out) {
    int dead = 0;
    for (int u = 0; u < out.cols; u++) {
      boolean allZero = true;
      for (int r = 0; r < out.rows && allZero; r++) allZero = out.data[r * out.cols + u] == 0;
      if (allZero) dead++;
    }
    return dead;
  }

  private interface FloatTest {
    boolean test(float v);
  }

  private static int count(float[] values, FloatTest test) {
    int n = 0;
    for (float v : values) if (test.test(v)) n++;
    return n;
  }
}
