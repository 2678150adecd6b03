package dev.trainscope.engine;

import dev.trainscope.engine.event.TrainingEvent.LayerStat;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns the numbers of each epoch into observations a student can read. Each rule is a condition;
 * an insight is emitted when its condition becomes true (not on every epoch it stays true), so the
 * stream says what changed.
 */
final class InsightRules {
  /** Epochs a trend is measured over. */
  static final int WINDOW = 5;

  static final int PLATEAU_WINDOW = 10;

  record Observation(String level, String code, String message, Integer layer) {}

  private final int classes;
  private final List<Double> losses = new ArrayList<>();
  private final List<Double> valLosses = new ArrayList<>();
  private final Set<String> active = new HashSet<>();
  private boolean convergedSaid;
  private String trend = "";
  private boolean overfitting;
  private double bestValLoss = Double.POSITIVE_INFINITY;

  InsightRules(int classes) {
    this.classes = classes;
  }

  List<Observation> afterEpoch(
      int epoch, double loss, double accuracy, Double valLoss, List<LayerStat> stats) {
    List<Observation> out = new ArrayList<>();
    losses.add(loss);
    if (valLoss != null) valLosses.add(valLoss);
    if (epoch == 1) {
      out.add(
          new Observation(
              "info",
              "started",
              String.format(
                  Locale.ROOT,
                  "First epoch: loss %.3f. Guessing uniformly among %d classes would give %.3f,"
                      + " so this is where learning starts.",
                  loss,
                  classes,
                  Math.log(classes)),
              null));
    }
    int n = losses.size();
    String newTrend = trend;
    // Trends compare 5-epoch means, not single epochs: an epoch's training loss is the mean over
    // its shuffled batches, whose noise would otherwise flip the trend back and forth.
    double now = mean(n, WINDOW);
    double before = n >= 2 * WINDOW ? mean(n - WINDOW, WINDOW) : Double.NaN;
    if (n >= 2 * WINDOW) {
      double change = (now - before) / Math.max(before, 1e-12);
      // Leaving a plateau takes a clear move, so noise around a flat loss does not count as one.
      double falling = trend.equals("plateau") ? -0.05 : -0.01;
      if (change < falling) newTrend = "loss-decreasing";
      else if (change > 0.05) newTrend = "loss-rising";
    }
    if (n >= PLATEAU_WINDOW + WINDOW && !convergedSaid && !newTrend.equals("loss-rising")) {
      double old = mean(n - PLATEAU_WINDOW, WINDOW);
      if (Math.abs(now - old) / Math.max(old, 1e-12) < 0.005) newTrend = "plateau";
    }
    // The trend is one state; it is reported when it changes, not on every epoch it holds.
    if (!newTrend.equals(trend)) {
      trend = newTrend;
      switch (trend) {
        case "loss-decreasing" ->
            out.add(
                new Observation(
                    "info",
                    trend,
                    String.format(
                        Locale.ROOT,
                        "Loss is decreasing: %.3f -> %.3f over the last %d epochs (means of %d"
                            + " epochs). The network is learning.",
                        before,
                        now,
                        WINDOW,
                        WINDOW),
                    null));
        case "loss-rising" ->
            out.add(
                new Observation(
                    "warning",
                    trend,
                    String.format(
                        Locale.ROOT,
                        "Training loss rose from %.3f to %.3f over %d epochs (means of %d"
                            + " epochs): the learning rate may be too high.",
                        before,
                        now,
                        WINDOW,
                        WINDOW),
                    null));
        case "plateau" ->
            out.add(
                new Observation(
                    "warning",
                    trend,
                    String.format(
                        Locale.ROOT,
                        "Plateau: loss changed less than 0.5%% in %d epochs (now %.3f). Try a"
                            + " higher learning rate, another optimizer, or more units.",
                        PLATEAU_WINDOW,
                        loss),
                    null));
        default -> {}
      }
    }
    int v = valLosses.size();
    if (valLoss != null) {
      // Overfitting holds from the first sustained rise until validation loss sets a new minimum.
      if (overfitting && valLoss < bestValLoss) overfitting = false;
      if (!overfitting && v > WINDOW && n > WINDOW) {
        boolean valRising = true;
        for (int i = v - WINDOW; i < v; i++) valRising &= valLosses.get(i) > valLosses.get(i - 1);
        if (valRising && now < before) {
          overfitting = true;
          out.add(
              new Observation(
                  "warning",
                  "overfitting",
                  String.format(
                      Locale.ROOT,
                      "Overfitting: validation loss rose for %d epochs (to %.3f, best %.3f) while"
                          + " training loss kept falling. The network is memorising the training"
                          + " set.",
                      WINDOW,
                      valLoss,
                      bestValLoss),
                  null));
        }
      }
      bestValLoss = Math.min(bestValLoss, valLoss);
    }
    if (!convergedSaid && (accuracy >= 0.995 || loss < 0.01)) {
      convergedSaid = true;
      out.add(
          new Observation(
              "success",
              "converged",
              String.format(
                  Locale.ROOT,
                  "Converged: training accuracy %.1f%%, loss %.4f.",
                  accuracy * 100,
                  loss),
              null));
    }
    if (stats != null) {
      for (LayerStat s : stats) {
        int layer = s.index() + 1;
        if (s.deadUnits() != null) {
          when(
              out,
              "dead-relu",
              s.deadUnits() > 0,
              s.deadUnits() == s.units() ? "error" : "warning",
              String.format(
                  Locale.ROOT,
                  "Dead ReLU: %d unit%s of layer %d output zero for every sample, so no gradient"
                      + " flows through %s. A lower learning rate or He initialisation helps.",
                  s.deadUnits(),
                  s.deadUnits() == 1 ? "" : "s",
                  layer,
                  s.deadUnits() == 1 ? "it" : "them"),
              s.index());
        }
        if (s.saturatedFraction() != null) {
          when(
              out,
              "saturated-sigmoid",
              s.saturatedFraction() > 0.5,
              "warning",
              String.format(
                  Locale.ROOT,
                  "Saturated sigmoids: %.0f%% of layer %d's outputs are below 0.01 or above 0.99,"
                      + " where the sigmoid is flat and gradients vanish.",
                  s.saturatedFraction() * 100,
                  layer),
              s.index());
        }
      }
    }
    return out;
  }

  /** Mean of the {@code count} losses before index {@code end}. */
  private double mean(int end, int count) {
    double sum = 0;
    int from = Math.max(0, end - count);
    for (int i = from; i < end; i++) sum += losses.get(i);
    return sum / Math.max(1, end - from);
  }

  private void when(
      List<Observation> out,
      String code,
      boolean condition,
      String level,
      String message,
      Integer layer) {
    String key = layer == null ? code : code + "#" + layer;
    if (condition && active.add(key)) out.add(new Observation(level, code, message, layer));
    if (!condition) active.remove(key);
  }

  static String divergedReason(int epoch, double loss, double learningRate) {
    return String.format(
        Locale.ROOT,
        "Diverged: the loss became %s at epoch %d. The learning rate %s is probably too high;"
            + " try a value 10 times smaller.",
        Double.isNaN(loss) ? "NaN" : "infinite",
        epoch,
        learningRate);
  }
}
