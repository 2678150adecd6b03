package dev.trainscope.engine.nn;

import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Which kernels a matrix product runs on.
 *
 * <p>By default a product runs on the engine's own Java kernels, which are exact: every output is
 * the sum of the plain triple loop, in the same order, so a seed gives the same bits on every
 * machine and JVM. A product of at least {@link #FAST_WORK} multiply-adds runs instead on an
 * installed {@link Gemm} (the server ships one on OpenBLAS), when there is one and exact mode is
 * off. Such a product sums in another order (blocked, with fused multiply-adds), so its results
 * differ from the exact kernels in the last bits; it is still deterministic on a given machine and
 * library: the same seed gives the same events run after run.
 *
 * <p>The threshold keeps small networks, the reference network on Iris among them, on the exact
 * kernels whatever is installed, and they are faster there anyway: a native call and its threads
 * cost more than a product of a few thousand multiply-adds. The wide network's large products (64 ×
 * 784 × 256 and 64 × 256 × 128 per batch) are far above it.
 *
 * <p>Exact mode ({@code -Dtrainscope.kernels=exact}, or {@link #exact(boolean)}) puts every product
 * on the Java kernels, for numbers that do not depend on the machine.
 */
public final class Kernels {
  /**
   * Products of fewer multiply-adds than this stay on the Java kernels, whatever is installed. 2²⁰:
   * the wide network's 64 × 256 × 128 products (4.2 M) are above it, and the largest of the small
   * test networks (64 × 70 × 40, 0.18 M) far below.
   */
  public static final long FAST_WORK = 1 << 20;

  private static final Gemm FAST = load();

  private static volatile boolean exact = "exact".equals(System.getProperty("trainscope.kernels"));

  private Kernels() {}

  /** The installed fast product, if any, whether or not exact mode is on. */
  public static Optional<String> fast() {
    return Optional.ofNullable(FAST).map(Gemm::name);
  }

  /** Whether every product runs on the exact Java kernels. */
  public static boolean exact() {
    return exact;
  }

  /**
   * Puts every product in this JVM on the exact Java kernels ({@code true}) or lets large ones use
   * the installed fast product ({@code false}). Meant for start-up, benchmarks and tests: it
   * changes the kernels of runs already training, too.
   */
  public static void exact(boolean on) {
    exact = on;
  }

  /** A short description of what a large product runs on now. */
  public static String describe() {
    if (FAST == null) return "Java (exact); no fast product installed";
    if (exact) return "Java (exact); " + FAST.name() + " installed but off";
    return FAST.name() + " for products of >= " + FAST_WORK + " multiply-adds, Java (exact) below";
  }

  /** The product to use for {@code work} multiply-adds, or null for the Java kernels. */
  static Gemm forProduct(long work) {
    Gemm g = FAST;
    return g != null && work >= FAST_WORK && !exact ? g : null;
  }

  private static Gemm load() {
    try {
      for (Gemm g : ServiceLoader.load(Gemm.class, Kernels.class.getClassLoader())) {
        if (g.available()) return g;
      }
    } catch (java.util.ServiceConfigurationError | LinkageError | RuntimeException e) {
      return null; // a broken provider (a missing class or native library) counts as none
    }
    return null;
  }
}
