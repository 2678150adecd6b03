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
 * loss-trend insights began to compare 5-epoch means (only insight events changed).
 */
class BenchSmokeTest {
  static final Map<String, String> RECORDED =
      Map.of(
          "iris-reference", "1dc376e1e4521518afee6ba7e4f0f1e88206bf83a4eb81cf359feb00f5f35d4c",
          "iris-split-batch-events",
              "345df04c06096d2d68566c392451ee9760717c84207553cc53b0e746387666e7",
          "spiral-adam", "71c03f1d80d4385f685460e9aa7c0877219288c98f36a989dc2230d87593a7c6",
          "blobs-mse-momentum", "cd0efc3d50c7e773b3ca1f051b0777bc6ac21244b5e0899e55977533912b91a2",
          "wide-small", "e0416cbc10c5d2434b08b8cc8ba4b26ad8ca7ade20e18101adf747e69f789341",
          "wide-1000", "4b00d212b1e411f32e08bff277b304f1257f44e4ab504eeac78271b21b84961a");

  @Test
  void runsGiveTheRecordedBits() {
    assertThat(EventDigest.digests()).isEqualTo(RECORDED);
  }

  /** Both sides are float32 and add the same terms in the same order: equal to the last bit. */
  @Test
  void kernelsMatchTheTripleLoopsBitForBit() {
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
