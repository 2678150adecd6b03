package dev.trainscope.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainscope.engine.nn.Matrix;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seconds-long smoke run of the harness: it must keep compiling and running. The digests also pin
 * the engine's numbers: a performance change that alters any bit of any event of these runs fails
 * here. They were last re-recorded when the engine moved to float32 (Matrix data, parameters,
 * optimizer state and activations; events still carry doubles, the traced values as the shortest
 * decimal of each float), after an epoch's training loss and accuracy had become those of its
 * batches (Keras' figures) instead of a second pass over the training set; and again when the
 * loss-trend insights began to compare 5-epoch means (only insight events changed), and when
 * layer-stats began to describe the first validation chunk instead of a separate pass over 512
 * training samples.
 */
class BenchSmokeTest {
  static final Map<String, String> RECORDED =
      Map.of(
          "iris-reference", "1dc376e1e4521518afee6ba7e4f0f1e88206bf83a4eb81cf359feb00f5f35d4c",
          "iris-split-batch-events",
              "5596c2879ebfb76f42add8d2ca4d577f41dd597329f05a3621cf5756087658f7",
          "spiral-adam", "a27724fb3be2a7a344707a82671a3faa63c3940525e1d3d79f4f6889282e4570",
          "blobs-mse-momentum", "54a06f88d5e6b632bd7804909129e8c17c14478cabecd62dc33818c18d107beb",
          "wide-small", "a728ff8a1e58f31916d3711b6127af251046e7e008ebdaf70bca2d0a5b1617f4",
          "wide-1000", "3b10a08bd6e14c26ee14dc9ad7990e3864b95bdc5f5a1459716c4a6c6202ccc7");

  @Test
  void runsGiveTheRecordedBits() {
    assertThat(EventDigest.digests()).isEqualTo(RECORDED);
  }

  /**
   * Both sides are float32 and add the same terms in the same order: equal to the last bit. The
   * exact kernels, that is: a large product would otherwise run on the installed BLAS.
   */
  @Test
  void kernelsMatchTheTripleLoopsBitForBit() {
    KernelProbe.onExactKernels(this::exactKernelsMatchTheTripleLoops);
  }

  private void exactKernelsMatchTheTripleLoops() {
    Random r = new Random(7);
    for (int[] d : new int[][] {{5, 3, 4}, {64, 784, 256}, {33, 70, 300}, {1, 17, 17}}) {
      int n = d[0], k = d[1], m = d[2];
      Matrix a = KernelProbe.rnd(r, n, k, 0.3), b = KernelProbe.rnd(r, k, m, 0.1);
      float[] bias = new float[m];
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
