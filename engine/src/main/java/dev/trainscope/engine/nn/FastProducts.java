package dev.trainscope.engine.nn;

/**
 * The engine's three products on an installed {@link Gemm} (see {@link Kernels}), all row-major.
 *
 * <p>A single-threaded Gemm gets each product in two halves, the second possibly on the kernel
 * helper thread ({@link TwoWay}), as the Java kernels are split. The halves are ranges of whole
 * rows of the operands, never column ranges: a row range of a row-major matrix is a contiguous
 * slice, which every BLAS binding accepts (netlib's checks reject a column range ending at the
 * array's end). The forward and input-gradient products split the batch rows of the output. The
 * weight gradient sums over the batch, so it splits the batch into two partial sums, the second
 * computed into a scratch array and then added. Where to split depends on the shape alone, so the
 * bits do not depend on which thread ran which half; they do depend on whether the machine has a
 * second core.
 */
final class FastProducts {
  private FastProducts() {}

  /** Per-thread scratch for the weight gradient's second partial sum. */
  private static final ThreadLocal<float[][]> SCRATCH =
      ThreadLocal.withInitial(() -> new float[1][0]);

  /** C (n × m, already holding the bias) += A (n × k) · B (k × m). */
  static void multiplyAdd(Gemm g, float[] A, float[] B, float[] C, int n, int k, int m) {
    // One call, never two halves at once: a JNI binding may copy the output array in and
    // back whole, so two halves writing one array could each undo the other's rows (seen: the
    // wide network's loss off by 0.13% in one run of FastKernelsTest).
    g.multiply(false, false, n, m, k, A, 0, k, B, 0, m, true, C, 0, m);
  }

  /** C (k × m) = Aᵀ · B, A being n × k and B n × m. */
  static void transposeAMultiply(Gemm g, float[] A, float[] B, float[] C, int n, int k, int m) {
    if (!halves(g, n, (long) n * k * m)) {
      g.multiply(true, false, k, m, n, A, 0, k, B, 0, m, false, C, 0, m);
      return;
    }
    int h = n / 2, size = k * m;
    float[][] holder = SCRATCH.get();
    if (holder[0].length < size) holder[0] = new float[size];
    float[] S = holder[0];
    TwoWay.run(
        () -> g.multiply(true, false, k, m, h, A, 0, k, B, 0, m, false, C, 0, m),
        () -> g.multiply(true, false, k, m, n - h, A, h * k, k, B, h * m, m, false, S, 0, m));
    for (int i = 0; i < size; i++) C[i] += S[i];
  }

  /** C (n × k) = A (n × m) · Bᵀ, B being k × m. */
  static void multiplyTransposeB(Gemm g, float[] A, float[] B, float[] C, int n, int m, int k) {
    // One call, never two halves at once: a JNI binding may copy the output array in and
    // back whole, so two halves writing one array could each undo the other's rows (seen: the
    // wide network's loss off by 0.13% in one run of FastKernelsTest).
    g.multiply(false, true, n, k, m, A, 0, m, B, 0, m, false, C, 0, k);
  }

  /** Whether to run a product as two halves: see {@link Matrix#SPLIT_WORK}. */
  private static boolean halves(Gemm g, int rows, long work) {
    return !g.parallel()
        && Matrix.splitting
        && TwoWay.AVAILABLE
        && rows >= 2
        && work >= Matrix.SPLIT_WORK;
  }
}
