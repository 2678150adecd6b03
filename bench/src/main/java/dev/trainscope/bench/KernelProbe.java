package dev.trainscope.bench;

import dev.trainscope.engine.nn.Kernels;
import dev.trainscope.engine.nn.Matrix;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * Quick kernel check: GMAC/s of the wide network's three big products, in wall-clock time and per
 * CPU-second of the process: the engine's exact Java kernels, the installed fast product (see
 * {@link Kernels}) where there is one, and the original loops; and a bit-for-bit check of the exact
 * kernels. {@code java -cp bench/target/benchmarks.jar dev.trainscope.bench.KernelProbe [seconds]}
 */
public final class KernelProbe {
  interface Kernel {
    void run();
  }

  public static void main(String[] args) {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2;
    System.out.println("kernels: " + Kernels.describe());
    Random r = new Random(1);
    Matrix x = rnd(r, 64, 784, 0), w1 = rnd(r, 784, 256, 0), dz1 = rnd(r, 64, 256, 0.5);
    Matrix h = rnd(r, 64, 256, 0.5), w2 = rnd(r, 256, 128, 0), dz2 = rnd(r, 64, 128, 0.5);
    Matrix out1 = new Matrix(64, 256), gw1 = new Matrix(784, 256), dx2 = new Matrix(64, 256);
    Matrix ref1 = new Matrix(64, 256), refg = new Matrix(784, 256), refdx = new Matrix(64, 256);
    Matrix out2 = new Matrix(64, 128), ref2 = new Matrix(64, 128);
    Matrix xe = rnd(r, 256, 784, 0), oute = new Matrix(256, 256), refe = new Matrix(256, 256);
    float[] bias = new float[256];
    check(
        "fwd1",
        () -> Matrix.multiplyAdd(x, w1, bias, out1),
        () -> NaiveKernels.multiplyAdd(x, w1, bias, ref1),
        out1,
        ref1);
    check(
        "gW1",
        () -> Matrix.transposeAMultiply(x, dz1, gw1),
        () -> NaiveKernels.transposeAMultiply(x, dz1, refg),
        gw1,
        refg);
    check(
        "dX2",
        () -> Matrix.multiplyTransposeB(dz2, w2, dx2),
        () -> NaiveKernels.multiplyTransposeB(dz2, w2, refdx),
        dx2,
        refdx);
    for (int rep = 0; rep < 2; rep++) {
      time(
          "fwd1 64x784x256",
          64L * 784 * 256,
          seconds,
          () -> Matrix.multiplyAdd(x, w1, bias, out1),
          () -> NaiveKernels.multiplyAdd(x, w1, bias, ref1));
      time(
          "eval 256x784x256",
          256L * 784 * 256,
          seconds,
          () -> Matrix.multiplyAdd(xe, w1, bias, oute),
          () -> NaiveKernels.multiplyAdd(xe, w1, bias, refe));
      time(
          "fwd2 64x256x128 (50% zeros)",
          64L * 256 * 128,
          seconds,
          () -> Matrix.multiplyAdd(h, w2, null, out2),
          () -> NaiveKernels.multiplyAdd(h, w2, null, ref2));
      time(
          "gW1 784x64x256",
          64L * 784 * 256,
          seconds,
          () -> Matrix.transposeAMultiply(x, dz1, gw1),
          () -> NaiveKernels.transposeAMultiply(x, dz1, refg));
      time(
          "dX2 64x128x256",
          64L * 128 * 256,
          seconds,
          () -> Matrix.multiplyTransposeB(dz2, w2, dx2),
          () -> NaiveKernels.multiplyTransposeB(dz2, w2, refdx));
    }
  }

  static Matrix rnd(Random r, int rows, int cols, double zeros) {
    Matrix m = new Matrix(rows, cols);
    for (int i = 0; i < m.data.length; i++) {
      m.data[i] = r.nextDouble() < zeros ? 0 : (float) r.nextGaussian();
    }
    return m;
  }

  static void check(String name, Kernel fast, Kernel naive, Matrix a, Matrix b) {
    onExactKernels(fast);
    naive.run();
    if (!Arrays.equals(a.data, b.data)) throw new AssertionError(name + " differs from naive");
  }

  static void time(String name, long macs, double seconds, Kernel engine, Kernel naive) {
    double[] f = gmacs(macs, seconds, () -> onExactKernels(engine)),
        n = gmacs(macs, seconds, naive);
    String fast = "";
    if (Kernels.fast().isPresent() && !Kernels.exact()) {
      double[] b = gmacs(macs, seconds, engine);
      fast = String.format(Locale.ROOT, "   fast %6.2f GMAC/s (%6.2f per CPU-second)", b[0], b[1]);
    }
    System.out.printf(
        Locale.ROOT,
        "%-30s engine %6.2f GMAC/s (%6.2f per CPU-second)%s   naive %6.2f GMAC/s   x%.2f%n",
        name,
        f[0],
        f[1],
        fast,
        n[0],
        f[0] / n[0]);
  }

  /** Runs {@code k} with every product on the exact Java kernels. */
  static void onExactKernels(Kernel k) {
    boolean was = Kernels.exact();
    Kernels.exact(true);
    try {
      k.run();
    } finally {
      Kernels.exact(was);
    }
  }

  /**
   * {wall-clock GMAC/s, GMAC per CPU-second of the whole process}. Large products may run as two
   * halves on two threads, so the calling thread's CPU time alone would overstate them; the
   * process's CPU time counts the helper thread too (and any other JVM activity).
   */
  static double[] gmacs(long macs, double seconds, Kernel k) {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    long t0 = System.nanoTime(), c0 = EngineVsNumpy.processCpuNanos(), iters = 0;
    while (System.nanoTime() < end) {
      k.run();
      iters++;
    }
    double wall = (System.nanoTime() - t0) / 1e9,
        cpu = (EngineVsNumpy.processCpuNanos() - c0) / 1e9;
    return new double[] {macs * iters / wall / 1e9, macs * iters / cpu / 1e9};
  }
}
