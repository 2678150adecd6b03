package dev.trainscope.server.blas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.trainscope.engine.nn.Kernels;
import dev.trainscope.engine.nn.Matrix;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * OpenBLAS as the engine's fast product: every row-major form the engine asks for, against sums in
 * double, and the engine's three products on it against its exact kernels. Tolerance: each output
 * within 10⁻⁵ of the sum of its terms' magnitudes (float32 sums of up to 784 terms in another
 * order; the worst case of such a sum is k·2⁻²⁴ ≈ 5·10⁻⁵ of it, typical errors are far smaller).
 * Needs Debian's libopenblas0-serial (.ci/run installs it).
 */
class OpenBlasGemmTest {
  static final double TOLERANCE = 1e-5;

  private final Random random = new Random(11);

  @AfterEach
  void restore() {
    Kernels.exact(false);
  }

  @Test
  void theEngineFindsOpenBlas() {
    OpenBlasGemm gemm = new OpenBlasGemm();
    assumeOpenBlas(gemm.available());
    assertThat(Kernels.fast()).contains(gemm.name());
    assertThat(Kernels.describe()).startsWith("OpenBLAS sgemm (").contains(">= 1048576");
  }

  @Test
  void everyTransposeAndOffsetIsTheRowMajorProduct() {
    OpenBlasGemm gemm = new OpenBlasGemm();
    assumeOpenBlas(gemm.available());
    int m = 37, n = 29, k = 53, pad = 5;
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        for (boolean accumulate : new boolean[] {false, true}) {
          // op(a) is m x k: a is m x k, or k x m when transposed; row strides padded on purpose.
          int aRows = ta ? k : m, aCols = ta ? m : k, lda = aCols + pad;
          int bRows = tb ? n : k, bCols = tb ? k : n, ldb = bCols + pad;
          int ldc = n + pad, aOff = 3, bOff = 7, cOff = 2;
          float[] a = floats(aOff + aRows * lda), b = floats(bOff + bRows * ldb);
          float[] c = floats(cOff + m * ldc), before = c.clone();
          gemm.multiply(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc);
          for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
              double sum = accumulate ? before[cOff + i * ldc + j] : 0, size = Math.abs(sum);
              for (int p = 0; p < k; p++) {
                double x = ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                double y = tb ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                sum += x * y;
                size += Math.abs(x * y);
              }
              assertThat((double) c[cOff + i * ldc + j])
                  .as("ta=%s tb=%s acc=%s (%d,%d)", ta, tb, accumulate, i, j)
                  .isCloseTo(sum, org.assertj.core.data.Offset.offset(TOLERANCE * size + 1e-30));
            }
          }
          // Padding between rows is never written.
          for (int i = 0; i < m; i++) {
            for (int j = n; j < ldc && cOff + i * ldc + j < c.length; j++) {
              assertThat(c[cOff + i * ldc + j]).isEqualTo(before[cOff + i * ldc + j]);
            }
          }
        }
      }
    }
  }

  /** The wide network's products, split over two threads as the engine runs them. */
  @Test
  void theEnginesLargeProductsAgreeWithItsExactKernelsAndRepeatToTheBit() {
    assumeOpenBlas(Kernels.fast().isPresent());
    int[][] shapes = {{64, 784, 256}, {64, 256, 128}, {33, 300, 301}};
    for (int[] s : shapes) {
      int n = s[0], k = s[1], m = s[2];
      Matrix a = matrix(n, k, 0.3), b = matrix(k, m, 0), dz = matrix(n, m, 0.5);
      float[] bias = floats(m);
      Matrix[] fast = products(a, b, dz, bias, false);
      Matrix[] again = products(a, b, dz, bias, false);
      Matrix[] exact = products(a, b, dz, bias, true);
      for (int i = 0; i < 3; i++) {
        assertThat(again[i].data).as("repeat %d", i).isEqualTo(fast[i].data);
        assertThat(fast[i].data).as("fast path ran").isNotEqualTo(exact[i].data);
      }
      // Sizes of the terms: the same products on absolute values, in double.
      Matrix[] size = products(abs(a), abs(b), abs(dz), abs(bias), true);
      for (int i = 0; i < 3; i++) {
        for (int q = 0; q < exact[i].data.length; q++) {
          assertThat((double) fast[i].data[q])
              .as("product %d of %dx%dx%d at %d", i, n, k, m, q)
              .isCloseTo(
                  exact[i].data[q],
                  org.assertj.core.data.Offset.offset(2 * TOLERANCE * size[i].data[q] + 1e-30));
        }
      }
    }
  }

  private static Matrix[] products(Matrix a, Matrix b, Matrix dz, float[] bias, boolean exact) {
    Kernels.exact(exact);
    try {
      Matrix forward = new Matrix(a.rows, b.cols), weights = new Matrix(a.cols, b.cols);
      Matrix input = new Matrix(a.rows, a.cols);
      Matrix.multiplyAdd(a, b, bias, forward);
      Matrix.transposeAMultiply(a, dz, weights);
      Matrix.multiplyTransposeB(dz, b, input);
      return new Matrix[] {forward, weights, input};
    } finally {
      Kernels.exact(false);
    }
  }

  private float[] floats(int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) v[i] = (float) random.nextGaussian();
    return v;
  }

  private Matrix matrix(int rows, int cols, double zeros) {
    Matrix m = new Matrix(rows, cols);
    for (int i = 0; i < m.data.length; i++) {
      m.data[i] = random.nextDouble() < zeros ? 0 : (float) random.nextGaussian();
    }
    return m;
  }

  private static Matrix abs(Matrix m) {
    return new Matrix(m.rows, m.cols, abs(m.data));
  }

  private static float[] abs(float[] v) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) out[i] = Math.abs(v[i]);
    return out;
  }

  /** Skipped on a developer machine without OpenBLAS; a failure in CI, which installs it. */
  static void assumeOpenBlas(boolean installed) {
    String message =
        "Debian's libopenblas0-serial is not installed (apt-get install -y libopenblas0-serial)";
    if (!installed && "true".equalsIgnoreCase(System.getenv("CI")))
      throw new AssertionError(message);
    assumeThat(installed).as(message).isTrue();
  }
}
