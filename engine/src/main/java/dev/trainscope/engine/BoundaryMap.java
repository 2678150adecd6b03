package dev.trainscope.engine;

import dev.trainscope.engine.data.Dataset;
import dev.trainscope.engine.data.Split;
import dev.trainscope.engine.event.DecisionBoundary;
import dev.trainscope.engine.event.DecisionBoundary.UnitMap;
import dev.trainscope.engine.nn.DenseLayer;
import dev.trainscope.engine.nn.Matrix;
import dev.trainscope.engine.nn.Network;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The {@code decision-boundary} of a 2-input network: the whole grid goes through the network as
 * one batch (a grid² x 2 matrix built once), so a map costs one forward pass of grid² rows and no
 * allocation per cell. The extent is in the data set's units; the cells are standardised as the
 * network's inputs are.
 */
final class BoundaryMap {
  /** The share of each side's range added on both ends, so points never sit on the edge. */
  static final double MARGIN = 0.1;

  private final Network network;
  private final int grid;
  private final double xMin, xMax, yMin, yMax;
  private final Matrix cells;
  private final byte[] predicted, confidence, unit;

  BoundaryMap(Network network, int grid, double[] extent, double[] mean, double[] std) {
    this.network = network;
    this.grid = grid;
    this.xMin = extent[0];
    this.xMax = extent[1];
    this.yMin = extent[2];
    this.yMax = extent[3];
    int n = grid * grid;
    this.cells = new Matrix(n, 2);
    for (int row = 0; row < grid; row++) {
      double y = yMax - (row + 0.5) * (yMax - yMin) / grid;
      for (int col = 0; col < grid; col++) {
        double x = xMin + (col + 0.5) * (xMax - xMin) / grid;
        int i = row * grid + col;
        cells.data[2 * i] = (float) ((x - mean[0]) / std[0]);
        cells.data[2 * i + 1] = (float) ((y - mean[1]) / std[1]);
      }
    }
    this.predicted = new byte[n];
    this.confidence = new byte[n];
    this.unit = new byte[n];
  }

  /** The map for a 2-feature data set, else null: over its range plus {@link #MARGIN}. */
  static BoundaryMap of(Network network, int grid, Dataset data, Split split) {
    if (data.featureCount() != 2) return null;
    return new BoundaryMap(network, grid, extent(data), split.mean, split.std);
  }

  /** {xMin, xMax, yMin, yMax} of the samples, widened by {@link #MARGIN} (and never empty). */
  static double[] extent(Dataset data) {
    double[] e = {
      Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
      Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY
    };
    for (int i = 0; i < data.size(); i++) {
      double[] f = data.features(i);
      e[0] = Math.min(e[0], f[0]);
      e[1] = Math.max(e[1], f[0]);
      e[2] = Math.min(e[2], f[1]);
      e[3] = Math.max(e[3], f[1]);
    }
    for (int k = 0; k < 4; k += 2) {
      double pad = Math.max(e[k + 1] - e[k], 1e-6) * MARGIN;
      e[k] -= pad;
      e[k + 1] += pad;
    }
    return e;
  }

  /** The map of the network as it is now; the event takes its header when it is emitted. */
  EventBody<DecisionBoundary> compute(int epoch) {
    Matrix out = network.forward(cells);
    int classes = out.cols;
    float[] o = out.data;
    for (int r = 0; r < out.rows; r++) {
      int best = out.argmax(r);
      predicted[r] = (byte) best;
      double p = Math.min(1, Math.max(0, o[r * classes + best]));
      confidence[r] = (byte) Math.round(p * 255);
    }
    Base64.Encoder b64 = Base64.getEncoder();
    String predictedText = b64.encodeToString(predicted);
    String confidenceText = b64.encodeToString(confidence);
    List<UnitMap> units = new ArrayList<>();
    List<DenseLayer> layers = network.layers();
    // The forward pass left each hidden layer's output over the grid in its buffers.
    for (int l = 0; l < layers.size() - 1; l++) {
      DenseLayer layer = layers.get(l);
      if (layer.units > DecisionBoundary.MAX_MAPPED_UNITS) continue;
      float[] a = layer.output().data;
      for (int u = 0; u < layer.units; u++) units.add(unitMap(l, u, a, layer.units));
    }
    return (id, seq, time) ->
        new DecisionBoundary(
            id,
            seq,
            time,
            epoch,
            grid,
            xMin,
            xMax,
            yMin,
            yMax,
            predictedText,
            confidenceText,
            units);
  }

  /** Unit {@code u}'s column of {@code a}, scaled to bytes between its own min and max. */
  private UnitMap unitMap(int layer, int u, float[] a, int width) {
    int n = grid * grid;
    float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
    for (int r = 0; r < n; r++) {
      float v = a[r * width + u];
      if (v < min) min = v;
      if (v > max) max = v;
    }
    float range = max - min;
    for (int r = 0; r < n; r++) {
      unit[r] = range > 0 ? (byte) Math.round((a[r * width + u] - min) / range * 255) : 0;
    }
    return new UnitMap(
        layer,
        u,
        ProbeTrace.decimal(min),
        ProbeTrace.decimal(max),
        Base64.getEncoder().encodeToString(unit));
  }
}
