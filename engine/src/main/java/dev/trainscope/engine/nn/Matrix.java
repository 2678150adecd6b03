package dev.trainscope.engine.nn;

import java.util.Arrays;

/**
 * A dense row-major matrix of float32 values: {@code rows} samples by {@code cols} features. The
 * engine trains in float32, as Keras and PyTorch do by default: twice the lanes per SIMD register
 * and half the memory traffic of float64, and precision to spare for gradient descent. Kernels are
 * written loop-order-aware so the inner loop walks contiguous memory and the JIT can vectorise it.
 */
public final class Matrix {
  public final int rows;
  public final int cols;
  public final float[] data;

  public Matrix(int rows, int cols) {
    this(rows, cols, new float[rows * cols]);
  }

  public Matrix(int rows, int cols, float[] data) {
    if (data.length != rows * cols) {
      throw new IllegalArgumentException(
          "data.length == rows * cols required but was " + data.length + " != " + rows * cols);
    }
    this.rows = rows;
    this.cols = cols;
    this.data = data;
  }

  /** The matrix of these rows, each value rounded to the nearest float. */
  public static Matrix of(double[][] rows) {
    int c = rows.length == 0 ? 0 : rows[0].length;
    Matrix m = new Matrix(rows.length, c);
    for (int i = 0; i < rows.length; i++) {
      for (int j = 0; j < c; j++) m.data[i * c + j] = (float) rows[i][j];
    }
    return m;
  }

  public float get(int r, int c) {
    return data[r * cols + c];
  }

  public void set(int r, int c, float v) {
    data[r * cols + c] = v;
  }

  /** The column of row {@code r}'s largest value, the first of equals: a row's predicted class. */
  public int argmax(int r) {
    int best = 0;
    for (int c = 1; c < cols; c++) if (get(r, c) > get(r, best)) best = c;
    return best;
  }

  public float[] row(int r) {
    return Arrays.copyOfRange(data, r * cols, (r + 1) * cols);
  }

  public Matrix copy() {
    return new Matrix(rows, cols, data.clone());
  }

  /*
   * Large products (see Kernels) may run on an installed fast product instead (FastProducts); what
   * follows is about the engine's own kernels, which every small product and exact mode use.
   *
   * The kernels below are cache-blocked and unrolled, but every output element is still the same
   * sum, accumulated in the same order, with the same zero-skipping, as the plain triple loop it
   * replaces: out[i][j] = init + t0 + t1 + ... in increasing index order, each product rounded
   * separately (no fused multiply-add). The results are therefore identical to the last bit to
   * those of the plain loops; only the traversal changes. Blocking keeps a slab of the right-hand matrix in the L1/L2 caches
   * while every row of the output passes over it; unrolling by four terms keeps an output element
   * in a register across four products, so each term costs one load instead of a load and a store.
   */

  /** Columns of the output (and of the right-hand matrix) per block. */
  static final int COL_BLOCK = 256;

  /** Terms (rows of the right-hand matrix) per block. */
  static final int TERM_BLOCK = 64;

  /** Below this many output columns the plain loops win: blocking only adds overhead. */
  static final int SMALL = 16;

  /** Floats per AVX2 register. */
  static final int VECTOR = 8;

  /** Per-thread scratch: a packed block of the right-hand matrix, one output row, the terms. */
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private static final class Scratch {
    /** Rows of the current block of the right-hand matrix, each its own array. */
    final float[][] panel = new float[TERM_BLOCK][COL_BLOCK];

    /** The output row segment being accumulated. */
    final float[] acc = new float[COL_BLOCK];

    /** Non-zero terms of the current output row: panel row and coefficient. */
    final int[] rows = new int[TERM_BLOCK];

    final float[] coefficients = new float[TERM_BLOCK];
  }

  /** out = a · b + bias (bias broadcast over rows; may be null). */
  public static void multiplyAdd(Matrix a, Matrix b, float[] bias, Matrix out) {
    int n = a.rows, k = a.cols, m = b.cols;
    float[] A = a.data, B = b.data, C = out.data;
    Gemm fast = Kernels.forProduct((long) n * k * m);
    if (fast != null) {
      fillRows(C, n, m, bias);
      FastProducts.multiplyAdd(fast, A, B, C, n, k, m);
      return;
    }
    if (m <= SMALL) {
      // Tiny layers: a register accumulator per output element, starting from its bias, terms in
      // the same order. Four rows at a time share each weight and keep four independent sums in
      // flight; one sum alone waits on its previous addition at every term.
      int i = 0;
      for (; i + 3 < n; i += 4) {
        int a0 = i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
        for (int j = 0; j < m; j++) {
          float v0 = bias == null ? 0 : bias[j], v1 = v0, v2 = v0, v3 = v0;
          for (int p = 0; p < k; p++) {
            float w = B[p * m + j];
            v0 += A[a0 + p] * w;
            v1 += A[a1 + p] * w;
            v2 += A[a2 + p] * w;
            v3 += A[a3 + p] * w;
          }
          C[i * m + j] = v0;
          C[(i + 1) * m + j] = v1;
          C[(i + 2) * m + j] = v2;
          C[(i + 3) * m + j] = v3;
        }
      }
      for (; i < n; i++) {
        int ai = i * k;
        for (int j = 0; j < m; j++) {
          float v = bias == null ? 0 : bias[j];
          for (int p = 0; p < k; p++) v += A[ai + p] * B[p * m + j];
          C[i * m + j] = v;
        }
      }
      return;
    }
    fillRows(C, n, m, bias);
    split(n, k, m, (from, to) -> multiplyAddColumns(A, B, C, n, k, m, from, to));
  }

  /** Each of the n rows of C (m wide) set to the bias, or to zero without one. */
  private static void fillRows(float[] C, int n, int m, float[] bias) {
    for (int i = 0; i < n; i++) {
      int ci = i * m;
      if (bias != null) System.arraycopy(bias, 0, C, ci, m);
      else Arrays.fill(C, ci, ci + m, 0);
    }
  }

  /** Columns [from, to) of multiplyAdd, onto C already holding the bias. */
  private static void multiplyAddColumns(
      float[] A, float[] B, float[] C, int n, int k, int m, int from, int to) {
    Scratch s = SCRATCH.get();
    float[][] panel = s.panel;
    int[] rows = s.rows;
    float[] coef = s.coefficients;
    for (int jb = from; jb < to; jb += COL_BLOCK) {
      int len = Math.min(to, jb + COL_BLOCK) - jb;
      for (int pb = 0; pb < k; pb += TERM_BLOCK) {
        int pe = Math.min(k, pb + TERM_BLOCK);
        for (int p = pb; p < pe; p++) System.arraycopy(B, p * m + jb, panel[p - pb], 0, len);
        for (int i = 0; i < n; i++) {
          int ai = i * k, cnt = 0;
          for (int p = pb; p < pe; p++) {
            float av = A[ai + p];
            if (av == 0) continue;
            rows[cnt] = p - pb;
            coef[cnt++] = av;
          }
          if (cnt > 0) addTerms(C, i * m + jb, len, s, cnt);
        }
      }
    }
  }

  /** out = aᵀ · b, i.e. the sum over rows of outer products (the weight gradient xᵀ·dz). */
  public static void transposeAMultiply(Matrix a, Matrix b, Matrix out) {
    int n = a.rows, k = a.cols, m = b.cols;
    float[] A = a.data, B = b.data, C = out.data;
    Gemm fast = Kernels.forProduct((long) n * k * m);
    if (fast != null) {
      FastProducts.transposeAMultiply(fast, A, B, C, n, k, m);
      return;
    }
    if (m < VECTOR) {
      // Outputs narrower than a vector: a register accumulator per output element, summing over
      // the rows in order, four outputs (in row-major order) at a time so that four independent
      // sums are in flight, instead of many row updates too short to pay for their loops.
      int outputs = k * m, q = 0;
      for (; q + 3 < outputs; q += 4) {
        int i0 = q / m, j0 = q % m, i1 = (q + 1) / m, j1 = (q + 1) % m;
        int i2 = (q + 2) / m, j2 = (q + 2) % m, i3 = (q + 3) / m, j3 = (q + 3) % m;
        float v0 = 0, v1 = 0, v2 = 0, v3 = 0;
        for (int r = 0; r < n; r++) {
          int ar = r * k, br = r * m;
          v0 += A[ar + i0] * B[br + j0];
          v1 += A[ar + i1] * B[br + j1];
          v2 += A[ar + i2] * B[br + j2];
          v3 += A[ar + i3] * B[br + j3];
        }
        C[q] = v0;
        C[q + 1] = v1;
        C[q + 2] = v2;
        C[q + 3] = v3;
      }
      for (; q < outputs; q++) {
        int i = q / m, j = q % m;
        float v = 0;
        for (int r = 0; r < n; r++) v += A[r * k + i] * B[r * m + j];
        C[q] = v;
      }
      return;
    }
    Arrays.fill(C, 0);
    if (m <= SMALL) {
      for (int r = 0; r < n; r++) {
        int br = r * m, ar = r * k;
        for (int i = 0; i < k; i++) {
          float av = A[ar + i];
          if (av == 0) continue;
          int ci = i * m;
          for (int j = 0; j < m; j++) C[ci + j] += av * B[br + j];
        }
      }
      return;
    }
    split(k, n, m, (from, to) -> transposeAMultiplyColumns(A, B, C, n, k, m, from, to));
  }

  /** Columns [from, to) of transposeAMultiply, onto C already zero. */
  private static void transposeAMultiplyColumns(
      float[] A, float[] B, float[] C, int n, int k, int m, int from, int to) {
    Scratch s = SCRATCH.get();
    float[][] panel = s.panel;
    int[] rows = s.rows;
    float[] coef = s.coefficients;
    for (int jb = from; jb < to; jb += COL_BLOCK) {
      int len = Math.min(to, jb + COL_BLOCK) - jb;
      for (int rb = 0; rb < n; rb += TERM_BLOCK) {
        int re = Math.min(n, rb + TERM_BLOCK);
        for (int r = rb; r < re; r++) System.arraycopy(B, r * m + jb, panel[r - rb], 0, len);
        for (int i = 0; i < k; i++) {
          int cnt = 0;
          for (int r = rb; r < re; r++) {
            float av = A[r * k + i];
            if (av == 0) continue;
            rows[cnt] = r - rb;
            coef[cnt++] = av;
          }
          if (cnt > 0) addTerms(C, i * m + jb, len, s, cnt);
        }
      }
    }
  }

  /**
   * C[c + j] += coef[0]·row0[j] + coef[1]·row1[j] + ... for j in [0, len), adding the terms one
   * after the other, left to right. The segment is accumulated in a scratch array and the rows are
   * separate arrays: with every access at the loop index itself, C2 vectorises the loop, which it
   * does not do for several runtime offsets into one array.
   */
  private static void addTerms(float[] C, int c, int len, Scratch s, int cnt) {
    float[] acc = s.acc;
    float[][] panel = s.panel;
    int[] rows = s.rows;
    float[] coef = s.coefficients;
    System.arraycopy(C, c, acc, 0, len);
    int t = 0;
    for (; t + 3 < cnt; t += 4) {
      float a0 = coef[t], a1 = coef[t + 1], a2 = coef[t + 2], a3 = coef[t + 3];
      float[] b0 = panel[rows[t]], b1 = panel[rows[t + 1]];
      float[] b2 = panel[rows[t + 2]], b3 = panel[rows[t + 3]];
      for (int j = 0; j < len; j++) {
        float v = acc[j];
        v += a0 * b0[j];
        v += a1 * b1[j];
        v += a2 * b2[j];
        v += a3 * b3[j];
        acc[j] = v;
      }
    }
    for (; t < cnt; t++) {
      float a0 = coef[t];
      float[] b0 = panel[rows[t]];
      for (int j = 0; j < len; j++) acc[j] += a0 * b0[j];
    }
    System.arraycopy(acc, 0, C, c, len);
  }

  /** out = a · bᵀ (the input gradient dz·Wᵀ): dot products of rows. */
  public static void multiplyTransposeB(Matrix a, Matrix b, Matrix out) {
    int n = a.rows, m = a.cols, k = b.rows;
    float[] A = a.data, B = b.data, C = out.data;
    Gemm fast = Kernels.forProduct((long) n * m * k);
    if (fast != null) {
      FastProducts.multiplyTransposeB(fast, A, B, C, n, m, k);
      return;
    }
    if (k <= SMALL) {
      // Four rows at a time, as in multiplyAdd: independent sums, each in the same order.
      int r = 0;
      for (; r + 3 < n; r += 4) {
        int a0 = r * m, a1 = a0 + m, a2 = a1 + m, a3 = a2 + m;
        for (int i = 0; i < k; i++) {
          int bi = i * m;
          float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
          for (int j = 0; j < m; j++) {
            float w = B[bi + j];
            s0 += A[a0 + j] * w;
            s1 += A[a1 + j] * w;
            s2 += A[a2 + j] * w;
            s3 += A[a3 + j] * w;
          }
          C[r * k + i] = s0;
          C[(r + 1) * k + i] = s1;
          C[(r + 2) * k + i] = s2;
          C[(r + 3) * k + i] = s3;
        }
      }
      for (; r < n; r++) {
        int ar = r * m;
        for (int i = 0; i < k; i++) {
          int bi = i * m;
          float s = 0;
          for (int j = 0; j < m; j++) s += A[ar + j] * B[bi + j];
          C[r * k + i] = s;
        }
      }
      return;
    }
    // The same sums, s = 0 + a[r][0]·b[i][0] + a[r][1]·b[i][1] + ..., computed for a block of i
    // at once from a transposed block of b; every term is added, zeros included, as before.
    Arrays.fill(C, 0, n * k, 0);
    split(n, m, k, (from, to) -> multiplyTransposeBColumns(A, B, C, n, m, k, from, to));
  }

  /** Columns [from, to) of multiplyTransposeB, onto C already zero. */
  private static void multiplyTransposeBColumns(
      float[] A, float[] B, float[] C, int n, int m, int k, int from, int to) {
    Scratch s = SCRATCH.get();
    float[][] panel = s.panel;
    int[] rows = s.rows;
    float[] coef = s.coefficients;
    for (int ib = from; ib < to; ib += COL_BLOCK) {
      int len = Math.min(to, ib + COL_BLOCK) - ib;
      for (int jb = 0; jb < m; jb += TERM_BLOCK) {
        int je = Math.min(m, jb + TERM_BLOCK);
        for (int i = 0; i < len; i++) {
          int bi = (ib + i) * m;
          for (int j = jb; j < je; j++) panel[j - jb][i] = B[bi + j];
        }
        for (int r = 0; r < n; r++) {
          int ar = r * m, cnt = 0;
          for (int j = jb; j < je; j++) {
            rows[cnt] = j - jb;
            coef[cnt++] = A[ar + j];
          }
          addTerms(C, r * k + ib, len, s, cnt);
        }
      }
    }
  }

  /** A kernel restricted to output columns [from, to). */
  interface Columns {
    void run(int from, int to);
  }

  /**
   * Products of at least this many multiply-adds are split in two column halves (see {@link
   * TwoWay}); below it, handing half to another thread costs more than it saves.
   */
  static final long SPLIT_WORK = 1 << 20;

  /** Whether large products use a second thread; tests compare both ways. */
  static volatile boolean splitting = true;

  /**
   * Runs {@code kernel} over the {@code cols} output columns of a rows × terms × cols product: in
   * one go, or as two halves (split at a multiple of 8 columns, a whole AVX2 register of floats).
   * Each output element is the same sum either way, so the bits do not depend on the split.
   */
  private static void split(int rows, int terms, int cols, Columns kernel) {
    long work = (long) rows * terms * cols;
    int half = (cols / 2 + 7) & ~7;
    if (!splitting || !TwoWay.AVAILABLE || work < SPLIT_WORK || half >= cols) {
      kernel.run(0, cols);
      return;
    }
    TwoWay.run(() -> kernel.run(0, half), () -> kernel.run(half, cols));
  }
}
