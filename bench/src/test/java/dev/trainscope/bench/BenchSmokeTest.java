package dev.trainscope.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainscope.engine.nn.Matrix;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seconds-long smoke run of the harness: it must keep compiling and running. The digests also pin
 * the engine's numbers: a performance change that alters any bit of any event of these runs fails
 * here (the values were recorded before the kernels were optimised).
 */
class BenchSmokeTest {
  static final Map<String, String> RECORDED =
      Map.of(
          "iris-reference", "e24f13506c6b02ff1853c079aa9df277513b5eae69a79cf99e2ad411e1894acd",
          "iris-split-batch-events",
              "575cc0ec6a1c8ad3b57ef10e90b4514b16f62ba21a52ef7d4c58621da084cceb",
          "spiral-adam", "74213c07ccde5c03ac7bff2bcaca0b1f3c72a69196e5837f6dbd20f46652e1a9",
          "blobs-mse-momentum", "357e0f265cf6838867d798e4744729102b54afe0834f8ecadf1effbe3626e2b4",
          "wide-small", "cd81cee47daec24c192bbe5a2ffb267fa308c77ba32d841b631ad8de37720ab0",
          "wide-1000", "bd9e117eef2a1f60f096bf953d889ec6b4620b588853d58ad9cc3c212d551a4f");

  @Test
  void optimisedEngineGivesTheSameBitsAsBefore() {
    assertThat(EventDigest.digests()).isEqualTo(RECORDED);
  }

  @Test
  void kernelsMatchTheTripleLoopsBitForBit() {
    Random r = new Random(7);
    for (int[] d : new int[][] {{5, 3, 4}, {64, 784, 256}, {33, 70, 300}, {1, 17, 17}}) {
      int n = d[0], k = d[1], m = d[2];
      Matrix a = KernelProbe.rnd(r, n, k, 0.3), b = KernelProbe.rnd(r, k, m, 0.1);
      double[] bias = new double[m];
      Matrix x = new Matrix(n, m), y = new Matrix(n, m);
      Matrix.multiplyAdd(a, b, bias, x);
      NaiveKernels.multiplyAdd(a, b, bias, y);
      assertThat(x.data).isEqualTo(y.data);
      Matrix dz = KernelProbe.rnd(r, n, m, 0.5);
      Matrix g1 = new Matrix(k, m), g2 = new Matrix(k, m);
      Matrix.transposeAMultiply(a, dz, g1);
      NaiveKernels.transposeAMultiply(a, dz, g2);
      assertThat(g1.data).isEqualTo(g2.data);
      Matrix dx1 = new Matrix(n, k), dx2 = new Matrix(n, k);
      Matrix.multiplyTransposeB(dz, b, dx1);
      NaiveKernels.multiplyTransposeB(dz, b, dx2);
      assertThat(dx1.data).isEqualTo(dx2.data);
    }
  }

  @Test
  void engineSpeedHarnessRuns() {
    assertThat(EngineVsNumpy.engineSamplesPerSecond(Workloads.iris(20, 20), Workloads.irisData()))
        .isPositive();
  }
}
