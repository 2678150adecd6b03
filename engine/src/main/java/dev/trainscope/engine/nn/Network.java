package dev.trainscope.engine.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A stack of dense layers with a loss. */
public final class Network {
  private final List<DenseLayer> layers;
  private final Loss loss;
  private final boolean fusedSoftmaxCrossEntropy;
  private Matrix dOut;
  private Matrix dOutSpare;

  public Network(List<DenseLayer> layers, Loss loss) {
    this.layers = List.copyOf(layers);
    this.loss = loss;
    DenseLayer last = this.layers.get(this.layers.size() - 1);
    this.fusedSoftmaxCrossEntropy =
        loss == Loss.CROSS_ENTROPY && last.activation == Activation.SOFTMAX;
  }

  /**
   * Builds a network with initial weights drawn from {@code random}: He (normal, variance 2 /
   * fan-in) suits ReLU-like units, Glorot (uniform, variance 2 / (fan-in + fan-out)) the saturating
   * ones; "auto" picks per layer. Biases start at zero.
   */
  public static Network create(
      int inputs,
      List<Integer> units,
      List<Activation> activations,
      Loss loss,
      String init,
      Random random) {
    List<DenseLayer> layers = new ArrayList<>();
    int in = inputs;
    for (int i = 0; i < units.size(); i++) {
      DenseLayer layer = new DenseLayer(in, units.get(i), activations.get(i));
      boolean he =
          init.equals("he")
              || (init.equals("auto")
                  && (layer.activation == Activation.RELU
                      || layer.activation == Activation.LEAKY_RELU));
      // Drawn in double, as ever, and rounded to float32.
      float[] w = layer.weights.value;
      if (he) {
        double std = Math.sqrt(2.0 / in);
        for (int j = 0; j < w.length; j++) w[j] = (float) (random.nextGaussian() * std);
      } else {
        double limit = Math.sqrt(6.0 / (in + layer.units));
        for (int j = 0; j < w.length; j++) w[j] = (float) ((2 * random.nextDouble() - 1) * limit);
      }
      layers.add(layer);
      in = layer.units;
    }
    return new Network(layers, loss);
  }

  public List<DenseLayer> layers() {
    return layers;
  }

  public Loss loss() {
    return loss;
  }

  public int inputs() {
    return layers.get(0).inputs;
  }

  public int outputs() {
    return layers.get(layers.size() - 1).units;
  }

  public int parameterCount() {
    return layers.stream().mapToInt(DenseLayer::parameterCount).sum();
  }

  public Matrix forward(Matrix x) {
    Matrix a = x;
    for (DenseLayer layer : layers) a = layer.forward(a);
    return a;
  }

  /** Backpropagates the loss of the last forward pass; returns that loss. */
  public double backward(int[] labels) {
    DenseLayer last = layers.get(layers.size() - 1);
    Matrix out = last.output();
    double value = loss.value(out, labels);
    if (dOut == null || dOut.rows != out.rows || dOut.cols != out.cols) {
      // Keep the previous buffer too: a data set usually alternates two batch sizes (full, last).
      Matrix spare = dOutSpare;
      dOutSpare = dOut;
      dOut =
          spare != null && spare.rows == out.rows && spare.cols == out.cols
              ? spare
              : new Matrix(out.rows, out.cols);
    }
    Matrix grad;
    if (fusedSoftmaxCrossEntropy) {
      System.arraycopy(out.data, 0, dOut.data, 0, out.data.length);
      for (int r = 0; r < out.rows; r++) dOut.data[r * out.cols + labels[r]] -= 1;
      float n = out.rows;
      for (int i = 0; i < dOut.data.length; i++) dOut.data[i] /= n;
      grad = last.backwardFromLinear(dOut);
    } else {
      loss.gradient(out, labels, dOut);
      grad = last.backward(dOut);
    }
    for (int i = layers.size() - 2; i >= 1; i--) grad = layers.get(i).backward(grad);
    if (layers.size() > 1) layers.get(0).backwardParametersOnly(grad);
    return value;
  }

  /** Loss of a forward pass, without touching gradients. */
  public double lossOf(Matrix x, int[] labels) {
    return loss.value(forward(x), labels);
  }
}
