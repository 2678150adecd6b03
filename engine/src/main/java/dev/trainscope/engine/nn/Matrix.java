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

  /*
   * The kernels below are cache-blocked and unrolled, but every output element is still the same
   * sum, accumulated in the same order, with the same zero-skipping, as the plain triple loop it
   * replaces: out[i][j] = init + t0 + t1 + ... in increasing index order, each product rounded
   * separately (no fused multiply-add). The results are therefore identical to the last bit; only
   * the traversal changes. Blocking keeps a slab of the right-hand matrix in the L1/L2 caches
   * while every row of the output passes over it; unrolling by four terms keeps an output element
   * in a register across four products, so each term costs one load instead of a load and a store.
   */

  /** Columns of the output (and of the right-hand matrix) per block. */
  static final int COL_BLOCK = 256;

  /** Terms (rows of the right-hand matrix) per block. */
  static final int TERM_BLOCK = 64;

  /** Per-thread scratch for the compacted non-zero coefficients of one output row. */
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private static final class Scratch {
    int[] offsets = new int[64];
    double[] coefficients = new double[64];

    Scratch ensure(int n) {
      if (offsets.length < n) {
        offsets = new int[n];
        coefficients = new double[n];
      }
      return this;
    }
  }

  /** out = a · b + bias (bias broadcast over rows; may be null). */
  public static void multiplyAdd(Matrix a, Matrix b, double[] bias, Matrix out) {
    int n = a.rows, k = a.cols, m = b.cols;
    double[] A = a.data, B = b.data, C = out.data;
    for (int i = 0; i < n; i++) {
      int ci = i * m;
      if (bias != null) System.arraycopy(bias, 0, C, ci, m);
      else Arrays.fill(C, ci, ci + m, 0);
    }
    Scratch s = SCRATCH.get().ensure(TERM_BLOCK);
    int[] off = s.offsets;
    double[] coef = s.coefficients;
    for (int jb = 0; jb < m; jb += COL_BLOCK) {
      int je = Math.min(m, jb + COL_BLOCK);
      for (int pb = 0; pb < k; pb += TERM_BLOCK) {
        int pe = Math.min(k, pb + TERM_BLOCK);
        for (int i = 0; i < n; i++) {
          int ai = i * k, cnt = 0;
          for (int p = pb; p < pe; p++) {
            double av = A[ai + p];
            if (av == 0) continue;
            off[cnt] = p * m;
            coef[cnt++] = av;
          }
          if (cnt > 0) addTerms(C, i * m, jb, je, B, off, coef, cnt);
        }
      }
    }
  }

  /** out = aᵀ · b, i.e. the sum over rows of outer products (the weight gradient xᵀ·dz). */
  public static void transposeAMultiply(Matrix a, Matrix b, Matrix out) {
    int n = a.rows, k = a.cols, m = b.cols;
    double[] A = a.data, B = b.data, C = out.data;
    Arrays.fill(C, 0);
    Scratch s = SCRATCH.get().ensure(TERM_BLOCK);
    int[] off = s.offsets;
    double[] coef = s.coefficients;
    for (int jb = 0; jb < m; jb += COL_BLOCK) {
      int je = Math.min(m, jb + COL_BLOCK);
      for (int rb = 0; rb < n; rb += TERM_BLOCK) {
        int re = Math.min(n, rb + TERM_BLOCK);
        for (int i = 0; i < k; i++) {
          int cnt = 0;
          for (int r = rb; r < re; r++) {
            double av = A[r * k + i];
            if (av == 0) continue;
            off[cnt] = r * m;
            coef[cnt++] = av;
          }
          if (cnt > 0) addTerms(C, i * m, jb, je, B, off, coef, cnt);
        }
      }
    }
  }

  /**
   * C[c + j] += coef[0]·B[off[0] + j] + coef[1]·B[off[1] + j] + ... for j in [from, to), adding
   * the terms one after the other, left to right.
   */
  private static void addTerms(
      double[] C, int c, int from, int to, double[] B, int[] off, double[] coef, int cnt) {
    int t = 0;
    for (; t + 3 < cnt; t += 4) {
      double a0 = coef[t], a1 = coef[t + 1], a2 = coef[t + 2], a3 = coef[t + 3];
      int b0 = off[t], b1 = off[t + 1], b2 = off[t + 2], b3 = off[t + 3];
      for (int j = from; j < to; j++) {
        double v = C[c + j];
        v += a0 * B[b0 + j];
        v += a1 * B[b1 + j];
        v += a2 * B[b2 + j];
        v += a3 * B[b3 + j];
        C[c + j] = v;
      }
    }
    for (; t < cnt; t++) {
      double a0 = coef[t];
      int b0 = off[t];
      for (int j = from; j < to; j++) C[c + j] += a0 * B[b0 + j];
    }
  }

  /** out = a · bᵀ (the input gradient dz·Wᵀ): dot products of rows. */
  public static void multiplyTransposeB(Matrix a, Matrix b, Matrix out) {
    int n = a.rows, m = a.cols, k = b.rows;
    double[] A = a.data, B = b.data, C = out.data;
    for (int r = 0; r < n; r++) {
      int ar = r * m;
      int i = 0;
      // Four independent dot products at a time share each load of the row of a.
      for (; i + 3 < k; i += 4) {
        int b0 = i * m, b1 = b0 + m, b2 = b1 + m, b3 = b2 + m;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (int j = 0; j < m; j++) {
          double av = A[ar + j];
          s0 += av * B[b0 + j];
          s1 += av * B[b1 + j];
          s2 += av * B[b2 + j];
          s3 += av * B[b3 + j];
        }
        int ci = r * k + i;
        C[ci] = s0;
        C[ci + 1] = s1;
        C[ci + 2] = s2;
        C[ci + 3] = s3;
      }
      for (; i < k; i++) {
        int bi = i * m;
        double s = 0;
        for (int j = 0; j < m; j++) s += A[ar + j] * B[bi + j];
        C[r * k + i] = s;
      }
    }
  }
}
