package dev.trainscope.engine.data;

import dev.trainscope.engine.check.InvalidValueException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * The built-in data sets: Iris and Palmer penguins (bundled CSVs) and the synthetic 2-D sets of
 * TensorFlow Playground: xor, circles, spiral (2 classes each) and blobs (3 classes).
 */
public final class Datasets {
  public static final List<String> BUILT_IN =
      List.of("iris", "penguins", "xor", "circles", "spiral", "blobs");

  private Datasets() {}

  public static boolean isBuiltIn(String name) {
    return BUILT_IN.contains(name);
  }

  /**
   * Loads a built-in data set. {@code samples}, {@code noise} and {@code seed} shape the synthetic
   * ones and are ignored by the bundled ones.
   */
  public static Dataset load(String name, int samples, double noise, long seed) {
    Random random = new Random(seed * 31 + 7);
    return switch (name) {
      case "iris", "penguins" -> bundled(name);
      case "xor" -> xor(samples, noise, random);
      case "circles" -> circles(samples, noise, random);
      case "spiral" -> spiral(samples, noise, random);
      case "blobs" -> blobs(samples, noise, random);
      default ->
          throw new InvalidValueException(
              "dataset", "dataset one of " + BUILT_IN + " required but was " + name);
    };
  }

  private static Dataset bundled(String name) {
    String resource = name + ".csv";
    try (InputStream in = Datasets.class.getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("missing resource " + resource);
      return Dataset.parseCsv(name, new InputStreamReader(in, StandardCharsets.UTF_8), null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final List<String> XY = List.of("x", "y");

  /** Points in [-1, 1]²; the class is whether x and y share a sign. */
  static Dataset xor(int n, double noise, Random r) {
    double[][] x = new double[n][];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      double a = r.nextDouble() * 2 - 1, b = r.nextDouble() * 2 - 1;
      // Keep points off the axes, as Playground does, so the pattern is learnable.
      a += a > 0 ? 0.05 : -0.05;
      b += b > 0 ? 0.05 : -0.05;
      y[i] = a * b > 0 ? 1 : 0;
      x[i] = new double[] {a + noise * r.nextGaussian(), b + noise * r.nextGaussian()};
    }
    return new Dataset("xor", XY, List.of("0", "1"), x, y);
  }

  /** A disc (class 0) inside a ring (class 1). */
  static Dataset circles(int n, double noise, Random r) {
    double[][] x = new double[n][];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 2;
      double radius = y[i] == 0 ? r.nextDouble() * 0.5 : 0.7 + r.nextDouble() * 0.3;
      double angle = r.nextDouble() * 2 * Math.PI;
      x[i] =
          new double[] {
            radius * Math.cos(angle) + noise * r.nextGaussian(),
            radius * Math.sin(angle) + noise * r.nextGaussian()
          };
    }
    return new Dataset("circles", XY, List.of("0", "1"), x, y);
  }

  /** Two interleaved spiral arms. */
  static Dataset spiral(int n, double noise, Random r) {
    double[][] x = new double[n][];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 2;
      double t = (double) (i / 2) / Math.max(1, n / 2) * 1.75 * 2 * Math.PI;
      double radius = t / (1.75 * 2 * Math.PI);
      double angle = t + y[i] * Math.PI;
      x[i] =
          new double[] {
            radius * Math.sin(angle) + noise * r.nextGaussian(),
            radius * Math.cos(angle) + noise * r.nextGaussian()
          };
    }
    return new Dataset("spiral", XY, List.of("0", "1"), x, y);
  }

  /** Three Gaussian blobs at the corners of a triangle; noise widens them. */
  static Dataset blobs(int n, double noise, Random r) {
    double[][] centres = {{0, 1}, {-0.87, -0.5}, {0.87, -0.5}};
    double spread = 0.2 + noise;
    double[][] x = new double[n][];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 3;
      x[i] =
          new double[] {
            centres[y[i]][0] + spread * r.nextGaussian(),
            centres[y[i]][1] + spread * r.nextGaussian()
          };
    }
    return new Dataset("blobs", XY, List.of("0", "1", "2"), x, y);
  }
}
