package dev.trainscope.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.trainscope.engine.RunControl;
import dev.trainscope.engine.Trainer;
import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.engine.data.Dataset;
import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.engine.nn.Kernels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;

/**
 * The fast product (OpenBLAS, {@link Kernels}) on whole runs: small networks never reach it, the
 * wide network does, deterministically, and its losses agree with the exact kernels'. Without
 * OpenBLAS the engine falls back to the exact kernels, bit for bit. The machine running this must
 * have Debian's libopenblas0-serial (.ci/run installs it) for the tests that need it to run.
 */
class FastKernelsTest {
  @AfterEach
  void restore() {
    Kernels.exact(false);
  }

  @Test
  void smallNetworksKeepTheirRecordedBitsWhateverIsInstalled() {
    Kernels.exact(false);
    Map<String, String> digests = EventDigest.digestsOfTheCurrentKernels();
    digests.keySet().stream()
        .filter(k -> !k.equals("wide-1000"))
        .forEach(k -> assertThat(digests.get(k)).as(k).isEqualTo(BenchSmokeTest.RECORDED.get(k)));
  }

  @Test
  void theWideNetworkRunsOnOpenBlasAndTheSameSeedGivesTheSameEvents() {
    assumeOpenBlas(Kernels.fast().isPresent());
    Kernels.exact(false);
    String first = EventDigest.digestsOfTheCurrentKernels().get("wide-1000");
    // Another run in between, so the second uses warm code and other buffers.
    EventDigest.digestsOfTheCurrentKernels();
    String again = EventDigest.digestsOfTheCurrentKernels().get("wide-1000");
    assertThat(again).isEqualTo(first);
    // Other bits than the exact kernels': the fast product really ran.
    assertThat(first).isNotEqualTo(BenchSmokeTest.RECORDED.get("wide-1000"));
  }

  /**
   * Each epoch's training and validation loss on the fast product within 10⁻⁶ (relative) of the
   * exact kernels' (measured: 2·10⁻⁹ to 2·10⁻⁸): 3 epochs of the wide network on 1,000 samples, 39
   * SGD steps.
   */
  @Test
  void theWideNetworksLossesAgreeWithTheExactKernels() {
    assumeOpenBlas(Kernels.fast().isPresent());
    TrainingConfig config =
        Workloads.wide(3, 3).toBuilder().dataset("wide-1000").validationSplit(0.2).build();
    Dataset data = Workloads.randomData("wide-1000", 1000, 784, 10, 5);
    Kernels.exact(true);
    List<TrainingEvent.Epoch> exact = epochs(config, data);
    Kernels.exact(false);
    List<TrainingEvent.Epoch> fast = epochs(config, data);
    assertThat(fast).hasSize(3).hasSameSizeAs(exact);
    for (int i = 0; i < exact.size(); i++) {
      TrainingEvent.Epoch e = exact.get(i), f = fast.get(i);
      assertThat(f.loss())
          .isCloseTo(e.loss(), org.assertj.core.data.Percentage.withPercentage(1e-4));
      assertThat(f.valLoss())
          .isCloseTo(e.valLoss(), org.assertj.core.data.Percentage.withPercentage(1e-4));
    }
  }

  @Test
  void withoutOpenBlasTheEngineTrainsOnTheExactKernels() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                java.toString(),
                "-Ddev.ludovic.netlib.blas.nativeLibPath=/nonexistent/libblas.so.3",
                "-cp",
                System.getProperty("java.class.path"),
                WideDigest.class.getName())
            .redirectErrorStream(true)
            .start();
    String out;
    try {
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child finished").isTrue();
    } finally {
      out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.destroyForcibly();
    }
    assertThat(out)
        .contains("kernels: Java (exact); no fast product installed")
        .contains("wide-1000 " + BenchSmokeTest.RECORDED.get("wide-1000"));
  }

  /** The child JVM of the test above. */
  static final class WideDigest {
    public static void main(String[] args) throws IOException {
      System.out.println("kernels: " + Kernels.describe());
      System.out.println("wide-1000 " + EventDigest.digestsOfTheCurrentKernels().get("wide-1000"));
    }
  }

  private static List<TrainingEvent.Epoch> epochs(TrainingConfig config, Dataset data) {
    return new Trainer(Schedulers.immediate(), () -> 0L)
        .train("agree", config, data, new RunControl())
        .ofType(TrainingEvent.Epoch.class)
        .collectList()
        .block();
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
