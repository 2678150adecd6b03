package dev.trainscope.engine.nn;

import java.util.Arrays;

/**
 * A dense row-major matrix of doubles: {@code rows} samples by {@code cols} features. Kernels are
 * written loop-order-aware (i-k-j) so the inner loop walks contiguous memory and the JIT can
 * vectorise it.
 */
public final class Matrix {
  public final int rows;
  public final int cols;
  public final double[] data;

  public Matrix(int rows, int cols) {
    this(rows, cols, new double[rows * cols]);
  }

  public Matrix(int rows, int cols, double[] data) {
    if (data.length != rows * cols) {
      throw new IllegalArgumentException(
          "data.length == rows * cols required but was " + data.length + " != " + rows * cols);
    }
    this.rows = rows;
    this.cols = cols;
    this.data = data;
  }

  public static Matrix of(double[][] rows) {
    int c = rows.length == 0 ? 0 : rows[0].length;
    Matrix m = new Matrix(rows.length, c);
    for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, m.data, i * c, c);
    return m;
  }

  public double get(int r, int c) {
    return data[r * cols + c];
  }

  public void set(int r, int c, double v) {
    data[r * cols + c] = v;
  }

  public double[] row(int r) {
    return Arrays.copyOfRange(data, r * cols, (r + 1) * cols);
  }

  public Matrix copy() {
    return new Matrix(rows, cols, data.clone());
  }

  /** out = a · b + bias (bias broadcast over rows; may be null). */
  public static void multiplyAdd(Matrix a, Matrix b, double[] bias, Matrix out) {
    int n = a.rows, k = a.cols, m = b.cols;
    double[] A = a.data, B = b.data, C = out.data;
    for (int i = 0; i < n; i++) {
      int ci = i * m;
      if (bias != null) System.arraycopy(bias, 0, C, ci, m);
      else Arrays.fill(C, ci, ci + m, 0);
      for (int p = 0; p < k; p++) {
        double av = A[i * k + p];
        if (av == 0) continue;
        int bp = p * m;
        for (int j = 0; j < m; j++) C[ci + j] += av * B[bp + j];
      }
    }
  }

  /** out = aᵀ · b, i.e. the sum over rows of outer products (the weight gradient xᵀ·dz). */
  public static void transposeAMultiply(Matrix a, Matrix b, Matrix out) {
    int n = a.rows, k = a.cols, m = b.cols;
    double[] A = a.data, B = b.data, C = out.data;
    Arrays.fill(C, 0);
    for (int r = 0; r < n; r++) {
      int br = r * m;
      for (int i = 0; i < k; i++) {
        double av = A[r * k + i];
        if (av == 0) continue;
        int ci = i * m;
        for (int j = 0; j < m; j++) C[ci + j] += av * B[br + j];
      }
    }
  }

  /** out = a · bᵀ (the input gradient dz·Wᵀ): dot products of rows. */
  public static void multiplyTransposeB(Matrix a, Matrix b, Matrix out) {
    int n = a.rows, m = a.cols, k = b.rows;
    double[] A = a.data, B = b.data, C = out.data;
    for (int r = 0; r < n; r++) {
      int ar = r * m;
      for (int i = 0; i < k; i++) {
        int bi = i * m;
        double s = 0;
        for (int j = 0; j < m; j++) s += A[ar + j] * B[bi + j];
        C[r * k + i] = s;
      }
    }
  }
}
