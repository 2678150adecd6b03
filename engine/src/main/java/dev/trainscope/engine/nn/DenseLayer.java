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

  private Matrix x;
  private Matrix z;
  private Matrix a;
  private Matrix dZ;
  private Matrix dX;

  public DenseLayer(int inputs, int units, Activation activation) {
    this.inputs = inputs;
    this.units = units;
    this.activation = activation;
    this.weights = new Parameter(inputs * units);
    this.biases = new Parameter(units);
  }

  public Matrix weightMatrix() {
    return new Matrix(inputs, units, weights.value);
  }

  public int parameterCount() {
    return weights.value.length + biases.value.length;
  }

  public Matrix forward(Matrix input) {
    ensureCapacity(input.rows);
    x = input;
    Matrix.multiplyAdd(input, weightMatrix(), biases.value, z);
    activation.forward(z, a);
    return a;
  }

  /** From dL/da of this layer's output: sets dW and db (this batch's) and returns dL/dx. */
  public Matrix backward(Matrix dA) {
    activation.backward(z, a, dA, dZ);
    return backwardFromLinear(dZ);
  }

  /** From dL/dz directly (used for the fused softmax + cross-entropy gradient). */
  public Matrix backwardFromLinear(Matrix dLinear) {
    Matrix.transposeAMultiply(x, dLinear, new Matrix(inputs, units, weights.grad));
    java.util.Arrays.fill(biases.grad, 0);
    for (int r = 0; r < dLinear.rows; r++) {
      for (int j = 0; j < units; j++) biases.grad[j] += dLinear.data[r * units + j];
    }
    Matrix.multiplyTransposeB(dLinear, weightMatrix(), dX);
    return dX;
  }

  /** The linear output z of the last forward pass. */
  public Matrix linear() {
    return z;
  }

  /** The activation output a of the last forward pass. */
  public Matrix output() {
    return a;
  }

  private void ensureCapacity(int rows) {
    if (z == null || z.rows != rows) {
      z = new Matrix(rows, units);
      a = new Matrix(rows, units);
      dZ = new Matrix(rows, units);
      dX = new Matrix(rows, inputs);
    }
  }
}
