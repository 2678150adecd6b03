package dev.trainscope.engine.nn;

/**
 * A fully connected layer: z = x·W + b, a = f(z). W is inputs x units. Forward caches x, z and a
 * for the backward pass of the same batch.
 */
public final class DenseLayer {
  public final int inputs;
  public final int units;
  public final Activation activation;
  public final Parameter weights;
  public final Parameter biases;

  /** Buffers are kept per batch size so alternating sizes (batches, evaluation) never allocate. */
  private static final int CACHED_SIZES = 8;

  private final Matrix weightView;
  private final Matrix gradientView;
  private final Buffers[] cache = new Buffers[CACHED_SIZES];
  private int nextSlot;
  private Buffers current;
  private Matrix x;

  public DenseLayer(int inputs, int units, Activation activation) {
    this.inputs = inputs;
    this.units = units;
    this.activation = activation;
    this.weights = new Parameter(inputs * units);
    this.biases = new Parameter(units);
    this.weightView = new Matrix(inputs, units, weights.value);
    this.gradientView = new Matrix(inputs, units, weights.grad);
  }

  private static final class Buffers {
    final Matrix z, a, dZ, dX;

    Buffers(int rows, int inputs, int units) {
      z = new Matrix(rows, units);
      a = new Matrix(rows, units);
      dZ = new Matrix(rows, units);
      dX = new Matrix(rows, inputs);
    }
  }

  public Matrix weightMatrix() {
    return new Matrix(inputs, units, weights.value);
  }

  public int parameterCount() {
    return weights.value.length + biases.value.length;
  }

  public Matrix forward(Matrix input) {
    Buffers b = buffers(input.rows);
    x = input;
    Matrix.multiplyAdd(input, weightView, biases.value, b.z);
    activation.forward(b.z, b.a);
    return b.a;
  }

  /** From dL/da of this layer's output: sets dW and db (this batch's) and returns dL/dx. */
  public Matrix backward(Matrix dA) {
    activation.backward(current.z, current.a, dA, current.dZ);
    return backwardFromLinear(current.dZ);
  }

  /** From dL/dz directly (used for the fused softmax + cross-entropy gradient). */
  public Matrix backwardFromLinear(Matrix dLinear) {
    parameterGradients(dLinear);
    Matrix.multiplyTransposeB(dLinear, weightView, current.dX);
    return current.dX;
  }

  /**
   * Like {@link #backward} but without dL/dx, which nobody needs for the first layer of a network:
   * for a wide input that product costs as much as the weight gradient itself.
   */
  void backwardParametersOnly(Matrix dA) {
    activation.backward(current.z, current.a, dA, current.dZ);
    parameterGradients(current.dZ);
  }

  private void parameterGradients(Matrix dLinear) {
    Matrix.transposeAMultiply(x, dLinear, gradientView);
    float[] db = biases.grad;
    java.util.Arrays.fill(db, 0);
    float[] d = dLinear.data;
    for (int r = 0; r < dLinear.rows; r++) {
      int o = r * units;
      for (int j = 0; j < units; j++) db[j] += d[o + j];
    }
  }

  /** The linear output z of the last forward pass. */
  public Matrix linear() {
    return current == null ? null : current.z;
  }

  /** The activation output a of the last forward pass. */
  public Matrix output() {
    return current == null ? null : current.a;
  }

  private Buffers buffers(int rows) {
    if (current != null && current.z.rows == rows) return current;
    for (Buffers b : cache) {
      if (b != null && b.z.rows == rows) return current = b;
    }
    Buffers b = new Buffers(rows, inputs, units);
    cache[nextSlot] = b;
    nextSlot = (nextSlot + 1) % CACHED_SIZES;
    return current = b;
  }
}
