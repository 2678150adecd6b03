package dev.trainscope.server.runs;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The best value of each standard metric so far and the epoch it was reached at: the lowest loss
 * and validation loss, the highest accuracy and validation accuracy. O(1) per epoch; not
 * thread-safe (its {@link Run} guards it).
 */
public final class BestMetrics {
  /** A best value and its epoch, as summaries show it. */
  public record Best(double value, int epoch) {}

  private Best loss;
  private Best accuracy;
  private Best valLoss;
  private Best valAccuracy;

  void observe(int epoch, Double loss, Double accuracy, Double valLoss, Double valAccuracy) {
    this.loss = lower(this.loss, loss, epoch);
    this.accuracy = higher(this.accuracy, accuracy, epoch);
    this.valLoss = lower(this.valLoss, valLoss, epoch);
    this.valAccuracy = higher(this.valAccuracy, valAccuracy, epoch);
  }

  /** {@code loss, accuracy, valLoss, valAccuracy}, each only once seen. */
  Map<String, Best> asMap() {
    Map<String, Best> m = new LinkedHashMap<>();
    if (loss != null) m.put("loss", loss);
    if (accuracy != null) m.put("accuracy", accuracy);
    if (valLoss != null) m.put("valLoss", valLoss);
    if (valAccuracy != null) m.put("valAccuracy", valAccuracy);
    return m;
  }

  private static Best lower(Best best, Double v, int epoch) {
    if (v == null || Double.isNaN(v)) return best;
    return best == null || v < best.value() ? new Best(v, epoch) : best;
  }

  private static Best higher(Best best, Double v, int epoch) {
    if (v == null || Double.isNaN(v)) return best;
    return best == null || v > best.value() ? new Best(v, epoch) : best;
  }
}
