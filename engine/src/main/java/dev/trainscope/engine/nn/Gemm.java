package dev.trainscope.engine.nn;

/**
 * A float32 matrix product from outside the engine, such as a native BLAS. The engine depends on
 * reactor-core only, so a faster product is plugged in here instead: the engine finds an
 * implementation with {@link java.util.ServiceLoader} (the server ships one on OpenBLAS) and falls
 * back to its own exact Java kernels when there is none. See {@link Kernels} for when it is used.
 *
 * <p>All matrices are row-major. An implementation must be deterministic: the same inputs give the
 * same bits on every call in a process, whatever thread calls it.
 */
public interface Gemm {
  /** A short description for logs and benchmarks, e.g. the library it calls. */
  String name();

  /**
   * Whether this product may run at all: false when, for example, its native library is missing.
   * Called once; an unavailable implementation is never asked for a product.
   */
  boolean available();

  /**
   * Whether a single call already uses several cores. The engine then hands it whole products;
   * otherwise it may call it from two threads at once for two column ranges of the same output.
   */
  boolean parallel();

  /**
   * c = op(a) · op(b), plus c's previous contents when {@code accumulate}. c is m × n starting at
   * {@code cOffset} with row stride {@code ldc}; op(a) is m × k, either a itself (m × k, row stride
   * {@code lda}) or, with {@code transA}, the transpose of a k × m a; likewise op(b), k × n.
   */
  void multiply(
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
      int ldc);
}
