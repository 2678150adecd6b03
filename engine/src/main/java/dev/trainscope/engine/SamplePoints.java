package dev.trainscope.engine;

import dev.trainscope.engine.data.Split;
import dev.trainscope.engine.event.DataPoints;
import dev.trainscope.engine.event.DataPoints.Points;
import dev.trainscope.engine.nn.Matrix;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code data-points} of a 2-input run: its splits taken back from the network's standardised
 * inputs to the data set's units, where the boundary map is drawn.
 */
final class SamplePoints {
  private SamplePoints() {}

  /** The event for a 2-feature split, else null. */
  static EventBody<DataPoints> of(Split split) {
    if (split.trainX.cols != 2) return null;
    int largest = Math.max(split.trainY.length, split.valY.length);
    int stride = Math.max(1, (largest + DataPoints.MAX_POINTS - 1) / DataPoints.MAX_POINTS);
    List<Double> mean = List.of(split.mean[0], split.mean[1]);
    List<Double> std = List.of(split.std[0], split.std[1]);
    Points train = points(split.trainX, split.trainY, split, stride);
    Points val = points(split.valX, split.valY, split, stride);
    return (id, seq, time) -> new DataPoints(id, seq, time, mean, std, stride, train, val);
  }

  private static Points points(Matrix x, int[] labels, Split split, int stride) {
    int n = (labels.length + stride - 1) / stride;
    List<Double> xs = new ArrayList<>(n), ys = new ArrayList<>(n);
    List<Integer> ls = new ArrayList<>(n);
    for (int i = 0; i < labels.length; i += stride) {
      xs.add(dataUnits(x.data[2 * i], split, 0));
      ys.add(dataUnits(x.data[2 * i + 1], split, 1));
      ls.add(labels[i]);
    }
    return new Points(xs, ys, ls);
  }

  /**
   * The standardised float back in the data's units, as the shortest decimal of its float: enough
   * for a point on a map, and what the data set's own float32 value prints as.
   */
  private static double dataUnits(float z, Split split, int feature) {
    return ProbeTrace.decimal((float) (z * split.std[feature] + split.mean[feature]));
  }
}
