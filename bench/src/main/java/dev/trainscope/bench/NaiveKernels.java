package dev.trainscope.bench;

import dev.trainscope.engine.nn.Matrix;
import java.util.Arrays;

/**
 * The engine's original i-k-j triple loops (before blocking), in float32 like the engine: the
 * benchmark baseline, and the plain reference the engine's kernels must match bit for bit. Both add
 * the same terms in the same order, each product rounded before it is added. These loops skip zero
 * coefficients, as the engine's blocked kernels do; its loops for tiny layers add them, which
 * changes no sum of finite values (v + 0·w = v) except the sign of a sum that is exactly zero.
 */
public final class NaiveKernels {
  private NaiveKernels() {}

  public static void multiplyAdd(Matrix a, Matrix b, float[] bias, Matrix out) {
    int n = a.rows, k = a.cols, m = b.cols;
    float[] A = a.data, B = b.data, C = out.data;
    for (int i = 0; i < n; i++) {
      int ci = i * m;
      if (bias != null) System.arraycopy(bias, 0, C, ci, m);
      else Arrays.fill(C, ci, ci + m, 0);
      for (int p = 0; p < k; p++) {
        float av = A[i * k + p];
        if (av == 0) continue;
        int bp = p * m;
        for (int j = 0; j < m; j++) C[ci + j] += av * B[bp + j];
      }
    }
  }

  public static void transposeAMultiply(Matrix a, Matrix b, Matrix out) {
    int n = a.rows, k = a.cols, m = b.cols;
    float[] A = a.data, B = b.data, C = out.data;
    Arrays.fill(C, 0);
    for (int r = 0; r < n; r++) {
      int br = r * m;
      for (int i = 0; i < k; i++) {
        float av = A[r * k + i];
        if (av == 0) continue;
        int ci = i * m;
        for (int j = 0; j < m; j++) C[ci + j] += av * B[br + j];
      }
    }
  }

  public static void multiplyTransposeB(Matrix a, Matrix b, Matrix out) {
    int n = a.rows, m = a.cols, k = b.rows;
    float[] A = a.data, B = b.data, C = out.data;
    for (int r = 0; r < n; r++) {
      int ar = r * m;
      for (int i = 0; i < k; i++) {
        int bi = i * m;
        float s = 0;
        for (int j = 0; j < m; j++) s += A[ar + j] * B[bi + j];
        C[r * k + i] = s;
      }
    }
  }
}
