package dev.trainscope.bench;

import dev.trainscope.engine.Trainer;
import dev.trainscope.engine.config.LayerSpec;
import dev.trainscope.engine.config.OptimizerConfig;
import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.engine.data.Dataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The training workloads the benchmarks share, matching {@code ../shared/bench/numpy_mlp.py}: the
 * reference network on Iris (4-3-3-3 relu/sigmoid/softmax, batch 16, lr 0.1, He init) and the
 * "wide" network (784-256-128-10 relu/relu/softmax, batch 64, lr 0.01, He init) on 8,192 random
 * normal samples with 10 random classes. No validation split (numpy trains on every sample).
 */
public final class Workloads {
  public static final int WIDE_SAMPLES = 8192;
  public static final int WIDE_FEATURES = 784;
  public static final int WIDE_CLASSES = 10;

  private Workloads() {}

  /** Iris, the reference network, as the numpy script trains it. */
  public static TrainingConfig iris(int epochs, int traceEvery) {
    return TrainingConfig.builder()
        .dataset("iris")
        .validationSplit(0)
        .epochs(epochs)
        .traceEvery(traceEvery)
        .build();
  }

  /** The wide network on {@link #wideData()}. */
  public static TrainingConfig wide(int epochs, int traceEvery) {
    return TrainingConfig.builder()
        .dataset("wide")
        .layers(LayerSpec.of(256, "relu"), LayerSpec.of(128, "relu"), LayerSpec.of(10, "softmax"))
        .optimizer(OptimizerConfig.sgd(0.01))
        .initializer("he")
        .batchSize(64)
        .validationSplit(0)
        .epochs(epochs)
        .traceEvery(traceEvery)
        .build();
  }

  public static Dataset irisData() {
    return Trainer.loadDataset(iris(1, 1));
  }

  /** 8,192 x 784 standard normal features, uniform random labels over 10 classes, seed 0. */
  public static Dataset wideData() {
    return randomData("wide", WIDE_SAMPLES, WIDE_FEATURES, WIDE_CLASSES, 0);
  }

  public static Dataset randomData(String name, int n, int features, int classes, long seed) {
    Random r = new Random(seed);
    double[][] x = new double[n][features];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < features; j++) x[i][j] = r.nextGaussian();
      y[i] = r.nextInt(classes);
    }
    List<String> names = new ArrayList<>();
    for (int j = 0; j < features; j++) names.add("f" + j);
    List<String> labels = new ArrayList<>();
    for (int c = 0; c < classes; c++) labels.add("c" + c);
    return new Dataset(name, names, labels, x, y);
  }

  /** Deletes a harness's temporary data directory and everything under it. */
  public static void deleteTree(java.nio.file.Path dir) throws java.io.IOException {
    try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
