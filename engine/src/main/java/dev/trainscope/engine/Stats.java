package dev.trainscope.engine;

import dev.trainscope.engine.event.TrainingEvent.Summary;
import java.util.ArrayList;
import java.util.List;

/** Summary statistics with a fixed number of equal-width histogram bins over [min, max]. */
public final class Stats {
  public static final int BINS = 20;

  private Stats() {}

  public static Summary summarize(double[] values) {
    return summarize(values, 0, values.length);
  }

  /**
   * The summary of float32 values (the network's arrays), computed in double. Layer statistics are
   * taken on traced epochs only, so the widened copy costs nothing that matters.
   */
  public static Summary summarize(float[] values) {
    return summarize(widened(values));
  }

  public static Summary summarize(double[] values, int from, int to) {
    int n = to - from;
    if (n <= 0) return new Summary(0, 0, 0, 0, 0, List.of());
    double sum = 0, min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
    for (int i = from; i < to; i++) {
      double v = values[i];
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    double mean = sum / n;
    double sq = 0;
    for (int i = from; i < to; i++) sq += (values[i] - mean) * (values[i] - mean);
    int[] bins = new int[BINS];
    double width = (max - min) / BINS;
    for (int i = from; i < to; i++) {
      int b = width > 0 ? (int) ((values[i] - min) / width) : 0;
      bins[Math.min(b, BINS - 1)]++;
    }
    List<Integer> histogram = new ArrayList<>(BINS);
    for (int b : bins) histogram.add(b);
    return new Summary(n, mean, Math.sqrt(sq / n), min, max, histogram);
  }

  static double norm(float[] v) {
    double s = 0;
    for (float x : v) s += (double) x * x;
    return Math.sqrt(s);
  }

  private static double[] widened(float[] v) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) out[i] = v[i];
    return out;
  }
}
