package dev.trainscope.engine.nn;

/** A trainable array, its gradient, and the optimizer's per-parameter state. */
public final class Parameter {
  public final double[] value;
  public final double[] grad;

  /** First-moment (momentum / Adam m) and second-moment (Adam v) buffers. */
  final double[] m;

  final double[] v;

  Parameter(int size) {
    value = new double[size];
    grad = new double[size];
    m = new double[size];
    v = new double[size];
  }
}
