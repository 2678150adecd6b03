package dev.trainscope.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainscope.engine.nn.Matrix;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seconds-long smoke run of the harness: it must keep compiling and running. The digests also pin
 * the engine's numbers: a performance change that alters any bit of any event of these runs fails
 * here. They were re-recorded when an epoch's training loss and accuracy became those of its
 * batches (Keras' figures) instead of a second pass over the training set after the epoch.
 */
class BenchSmokeTest {
  static final Map<String, String> RECORDED =
      Map.of(
          "iris-reference", "99f84fe2d098d24e1eec151cf0d836c19447b44081184ecff644f1c97d41ba72",
          "iris-split-batch-events",
              "dcd8334714577a8d7b83489b468481d471567e946e07406290cba89e1b36ede8",
          "spiral-adam", "856c5e576f3e4e61c76ae5ccce2e223b2499e338633bf720970e5cb409ac4c52",
          "blobs-mse-momentum", "ea0bb717739c553cae032557c7375288eeb918d06fc123aa716c5834414859dd",
          "wide-small", "9e30303fd6a41c359cd22bf4f8911cf77d5867ccf7945cb5d0abcf73e9a68215",
          "wide-1000", "96be5be58497ce0922f386214a8a6f3757ca01c613a2e3911f6ce08e0d0141e5");

  @Test
  void runsGiveTheRecordedBits() {
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
