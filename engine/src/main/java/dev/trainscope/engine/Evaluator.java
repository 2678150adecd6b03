package dev.trainscope.engine;

import dev.trainscope.engine.event.TrainingEvent.LayerStat;
import dev.trainscope.engine.nn.Matrix;
import dev.trainscope.engine.nn.Network;
import java.util.Arrays;
import java.util.List;

/**
 * Passes whole sets through the network in chunks of {@link #CHUNK} samples, so a large set never
 * needs one huge activation buffer; the buffer of a full chunk is reused. The layer statistics of a
 * set are those of its first chunk: for validation, a forward pass it makes anyway.
 */
final class Evaluator {
  static final int CHUNK = 256;

  private final Network network;
  private final LayerStatistics layerStatistics;
  private final Matrix chunkX;
  private final int[] chunkY;

  /** Mean loss and accuracy over a set, and the layer statistics of its first chunk if asked. */
  record Evaluation(double loss, double accuracy, List<LayerStat> stats) {}

  /** For sets of up to {@code rows} samples of {@code features} features. */
  Evaluator(Network network, LayerStatistics layerStatistics, int rows, int features) {
    this.network = network;
    this.layerStatistics = layerStatistics;
    int chunk = Math.min(CHUNK, rows);
    this.chunkX = new Matrix(chunk, features);
    this.chunkY = new int[chunk];
  }

  /** Evaluates a whole set; with {@code withStats}, also takes its first chunk's layer stats. */
  Evaluation evaluate(Matrix x, int[] y, boolean withStats) {
    double lossSum = 0;
    int correct = 0;
    List<LayerStat> stats = null;
    for (int from = 0; from < y.length; from += CHUNK) {
      int to = Math.min(y.length, from + CHUNK);
      Matrix chunk = rows(x, from, to);
      int[] labels = labels(y, from, to);
      Matrix out = network.forward(chunk);
      if (withStats && from == 0) stats = layerStatistics.ofLastForward();
      lossSum += network.loss().value(out, labels) * labels.length;
      correct += correctCount(out, labels);
    }
    return new Evaluation(lossSum / y.length, (double) correct / y.length, stats);
  }

  /** The layer statistics of the set's first chunk alone. */
  List<LayerStat> statsOfFirstChunk(Matrix x) {
    network.forward(rows(x, 0, Math.min(CHUNK, x.rows)));
    return layerStatistics.ofLastForward();
  }

  /** Counts per true class (row) and predicted class (column) over a set. */
  int[][] confusion(Matrix x, int[] y, int classes) {
    int[][] m = new int[classes][classes];
    for (int from = 0; from < y.length; from += CHUNK) {
      int to = Math.min(y.length, from + CHUNK);
      Matrix out = network.forward(rows(x, from, to));
      for (int r = 0; r < to - from; r++) m[y[from + r]][out.argmax(r)]++;
    }
    return m;
  }

  /** How many rows of {@code out} have their largest output at the label. */
  static int correctCount(Matrix out, int[] labels) {
    int correct = 0;
    for (int r = 0; r < labels.length; r++) if (out.argmax(r) == labels[r]) correct++;
    return correct;
  }

  /**
   * Rows [from, to) of x: x itself when that is all of it, else a copy into the reused chunk buffer
   * (a full chunk) or a fresh matrix (the one short chunk at the end of a set).
   */
  private Matrix rows(Matrix x, int from, int to) {
    if (from == 0 && to == x.rows) return x;
    Matrix out = to - from == chunkX.rows ? chunkX : new Matrix(to - from, x.cols);
    System.arraycopy(x.data, from * x.cols, out.data, 0, (to - from) * x.cols);
    return out;
  }

  private int[] labels(int[] y, int from, int to) {
    if (from == 0 && to == y.length) return y;
    if (to - from == chunkY.length) {
      System.arraycopy(y, from, chunkY, 0, to - from);
      return chunkY;
    }
    return Arrays.copyOfRange(y, from, to);
  }
}
