package dev.trainscope.engine;

import dev.trainscope.engine.event.TrainingEvent.LayerStat;
import java.util.List;
import java.util.Locale;

/**
 * The one sentence every {@code epoch} event carries: what changed since the last epoch (loss and
 * accuracy) and the most important reason it matters, from the conditions {@link InsightRules}
 * watches (dead units, saturation, a validation gap, the loss trend). Insights say when a condition
 * starts; this says, every epoch, where the run stands.
 */
final class EpochObservation {
  /** A relative loss change below this reads as flat. */
  static final double FLAT = 0.005;

  /** Validation loss this much above training (relative, and 0.05 absolute) is a gap. */
  static final double GAP = 0.25;

  private final int classes;
  private double previousLoss = Double.NaN, previousAccuracy = Double.NaN;
  private List<LayerStat> lastStats;

  EpochObservation(int classes) {
    this.classes = classes;
  }

  /**
   * The observation of one epoch; {@code stats} are this epoch's layer statistics or null when it
   * was not traced (the last traced ones then stand), {@code converged} whether the run has
   * converged.
   */
  String afterEpoch(
      int epoch,
      double loss,
      double accuracy,
      Double valLoss,
      List<LayerStat> stats,
      boolean converged) {
    if (stats != null) lastStats = stats;
    String what = epoch == 1 || Double.isNaN(previousLoss) ? first(loss) : change(loss, accuracy);
    String why = reason(epoch == 1 ? 0 : relativeChange(loss), loss, valLoss, converged);
    previousLoss = loss;
    previousAccuracy = accuracy;
    return what + ": " + why + ".";
  }

  private String first(double loss) {
    return format(
        "First epoch, loss %.3f against %.3f for guessing among %d classes",
        loss, Math.log(classes), classes);
  }

  private String change(double loss, double accuracy) {
    double change = relativeChange(loss);
    String lossPart =
        Math.abs(change) < FLAT
            ? format("Loss flat at %.3f", loss)
            : format(
                "Loss %s %.1f%% to %.3f",
                change < 0 ? "fell" : "rose", Math.abs(change) * 100, loss);
    double points = (accuracy - previousAccuracy) * 100;
    String accuracyPart =
        Math.abs(points) < 0.05
            ? format("accuracy holds at %.1f%%", accuracy * 100)
            : format(
                "accuracy %s %.1f points to %.1f%%",
                points > 0 ? "up" : "down", Math.abs(points), accuracy * 100);
    return lossPart + ", " + accuracyPart;
  }

  private double relativeChange(double loss) {
    return (loss - previousLoss) / Math.max(previousLoss, 1e-12);
  }

  /** The most important reason, in order: dead units, saturation, a validation gap, the trend. */
  private String reason(double change, double loss, Double valLoss, boolean converged) {
    if (lastStats != null) {
      for (LayerStat s : lastStats) {
        if (s.deadUnits() != null && s.deadUnits() > 0) {
          return format(
              "%d of layer %d's %d units are dead and pass no gradient",
              s.deadUnits(), s.index() + 1, s.units());
        }
      }
      for (LayerStat s : lastStats) {
        if (s.saturatedFraction() != null && s.saturatedFraction() > 0.5) {
          return format(
              "%.0f%% of layer %d's sigmoid outputs are saturated, so its gradients vanish",
              s.saturatedFraction() * 100, s.index() + 1);
        }
      }
    }
    if (valLoss != null && valLoss - loss > 0.05 && valLoss > loss * (1 + GAP)) {
      return format(
          "validation loss %.3f is %.0f%% above training, so it fits the training set better than"
              + " new data",
          valLoss, (valLoss / loss - 1) * 100);
    }
    if (converged) return "the run has converged";
    if (change <= -FLAT) return "the network is learning";
    if (change >= FLAT) return "the steps overshoot; a lower learning rate may help";
    if (change == 0 && Double.isNaN(previousLoss)) return "this is where learning starts";
    return "learning has slowed";
  }

  private static String format(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
