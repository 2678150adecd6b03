package dev.trainscope.engine.nn;

/** A trainable array, its gradient, and the optimizer's per-parameter state, all float32. */
public final class Parameter {
  public final float[] value;
  public final float[] grad;

  /** First-moment (momentum / Adam m) and second-moment (Adam v) buffers. */
  final float[] m;

  final float[] v;

  Parameter(int size) {
    value = new float[size];
    grad = new float[size];
    m = new float[size];
    v = new float[size];
  }
}
