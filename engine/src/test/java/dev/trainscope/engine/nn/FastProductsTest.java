package dev.trainscope.engine.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The three products on a plugged-in {@link Gemm}, split in halves as on a single-threaded BLAS:
 * the halves must cover the product exactly. The Gemm here is a plain loop that rounds like the
 * exact kernels, so the results must equal the exact kernels' bits, except for the weight gradient,
 * whose two partial sums are added at the end (checked against sums in double).
 */
class FastProductsTest {
  /** Row-major op(a)·op(b), terms in index order, each product rounded to float: the exact sums. */
  static final class LoopGemm implements Gemm {
    final boolean parallel;
    final List<Integer> rowsPerCall = Collections.synchronizedList(new ArrayList<>());

    LoopGemm(boolean parallel) {
      this.parallel = parallel;
    }

    @Override
    public String name() {
      return "loops";
    }

    @Override
    public boolean available() {
      return true;
    }

    @Override
    public boolean parallel() {
      return parallel;
    }

    @Override
    public void multiply(
        boolean transA,
        boolean transB,
        int m,
        int n,
        int k,
        float[] a,
        int aOffset,
        int lda,
        float[] b,
        int bOffset,
        int ldb,
        boolean accumulate,
        float[] c,
        int cOffset,
        int ldc) {
      rowsPerCall.add(m);
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          float v = accumulate ? c[cOffset + i * ldc + j] : 0;
          for (int p = 0; p < k; p++) {
            float x = transA ? a[aOffset + p * lda + i] : a[aOffset + i * lda + p];
            float y = transB ? b[bOffset + j * ldb + p] : b[bOffset + p * ldb + j];
            v += x * y;
          }
          c[cOffset + i * ldc + j] = v;
        }
      }
    }
  }

  private final Random random = new Random(5);

  @Test
  void theForwardAndInputGradientProductsAreOneCallEachAndExact() {
    for (boolean parallel : new boolean[] {false, true}) {
      LoopGemm gemm = new LoopGemm(parallel);
      int n = 65, k = 300, m = 70; // 1.4 M multiply-adds: split; an odd batch
      Matrix a = MatrixTest.random(random, n, k, 0), b = MatrixTest.random(random, k, m, 0);
      float[] bias = new float[m];
      for (int j = 0; j < m; j++) bias[j] = (float) random.nextGaussian();
      Matrix fast = new Matrix(n, m), exact = new Matrix(n, m);
      for (int i = 0; i < n; i++) System.arraycopy(bias, 0, fast.data, i * m, m);
      FastProducts.multiplyAdd(gemm, a.data, b.data, fast.data, n, k, m);
      Matrix.multiplyAdd(a, b, bias, exact);
      assertThat(fast.data).isEqualTo(exact.data);

      Matrix dz = MatrixTest.random(random, n, m, 0),
          dx = new Matrix(n, k),
          dxExact = new Matrix(n, k);
      FastProducts.multiplyTransposeB(gemm, dz.data, b.data, dx.data, n, m, k);
      Matrix.multiplyTransposeB(dz, b, dxExact);
      assertThat(dx.data).isEqualTo(dxExact.data);
      assertThat(gemm.rowsPerCall)
          .as("parallel=%s", parallel)
          // Never two halves writing one output array at once (see FastProducts).
          .containsExactly(n, n);
    }
  }

  @Test
  void theWeightGradientsTwoPartialSumsAddUpToTheWholeSum() {
    LoopGemm gemm = new LoopGemm(false);
    int n = 64, k = 300, m = 70;
    Matrix x = MatrixTest.random(random, n, k, 0.3), dz = MatrixTest.random(random, n, m, 0);
    float[] fast = new float[k * m];
    FastProducts.transposeAMultiply(gemm, x.data, dz.data, fast, n, k, m);
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < m; j++) {
        double sum = 0, size = 0;
        for (int r = 0; r < n; r++) {
          double t = (double) x.data[r * k + i] * dz.data[r * m + j];
          sum += t;
          size += Math.abs(t);
        }
        assertThat((double) fast[i * m + j])
            .isCloseTo(sum, org.assertj.core.data.Offset.offset(1e-6 * size + 1e-30));
      }
    }
    // Whole rows of dz per half: the batch split in two.
    if (TwoWay.AVAILABLE) assertThat(gemm.rowsPerCall).containsExactly(k, k);
  }
}
