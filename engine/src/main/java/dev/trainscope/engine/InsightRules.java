package dev.trainscope.engine;

import dev.trainscope.engine.event.TrainingEvent.LayerStat;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the numbers of each epoch into observations a student can read. Each rule is a condition;
 * an insight is emitted when its condition becomes true (not on every epoch it stays true), so the
 * stream says what changed. Each rule is a method of its own, and each observation a value with the
 * numbers behind it as well as its sentence.
 */
final class InsightRules {
  /** Epochs a trend is measured over. */
  static final int WINDOW = 5;

  static final int PLATEAU_WINDOW = 10;

  /** What a rule found: the fields of an {@code insight} event, and the numbers it came from. */
  sealed interface Observation
      permits Started,
          LossDecreasing,
          LossRising,
          Plateau,
          Overfitting,
          Converged,
          DeadRelu,
          SaturatedSigmoid {
    /** One of {@link dev.trainscope.engine.event.TrainingEvent.Insight#LEVELS}. */
    String level();

    String code();

    String message();

    /** The layer's index for a layer's observation, else null. */
    default Integer layer() {
      return null;
    }
  }

  /** The first epoch's loss against uniform guessing among {@code classes}. */
  record Started(double loss, int classes) implements Observation {
    double uniformLoss() {
      return Math.log(classes);
    }

    @Override
    public String level() {
      return "info";
    }

    @Override
    public String code() {
      return "started";
    }

    @Override
    public String message() {
      return format(
          "First epoch: loss %.3f. Guessing uniformly among %d classes would give %.3f,"
              + " so this is where learning starts.",
          loss, classes, uniformLoss());
    }
  }

  /** The mean training loss of the last {@link #WINDOW} epochs fell from the window before. */
  record LossDecreasing(double before, double now) implements Observation {
    @Override
    public String level() {
      return "info";
    }

    @Override
    public String code() {
      return "loss-decreasing";
    }

    @Override
    public String message() {
      return format(
          "Loss is decreasing: %.3f -> %.3f over the last %d epochs (means of %d"
              + " epochs). The network is learning.",
          before, now, WINDOW, WINDOW);
    }
  }

  /** The mean training loss of the last {@link #WINDOW} epochs rose from the window before. */
  record LossRising(double before, double now) implements Observation {
    @Override
    public String level() {
      return "warning";
    }

    @Override
    public String code() {
      return "loss-rising";
    }

    @Override
    public String message() {
      return format(
          "Training loss rose from %.3f to %.3f over %d epochs (means of %d"
              + " epochs): the learning rate may be too high.",
          before, now, WINDOW, WINDOW);
    }
  }

  /** The training loss barely moved over {@link #PLATEAU_WINDOW} epochs; {@code loss} is now. */
  record Plateau(double loss) implements Observation {
    @Override
    public String level() {
      return "warning";
    }

    @Override
    public String code() {
      return "plateau";
    }

    @Override
    public String message() {
      return format(
          "Plateau: loss changed less than 0.5%% in %d epochs (now %.3f). Try a"
              + " higher learning rate, another optimizer, or more units.",
          PLATEAU_WINDOW, loss);
    }
  }

  /** Validation loss rose for {@link #WINDOW} epochs, to {@code valLoss}, while training fell. */
  record Overfitting(double valLoss, double bestValLoss) implements Observation {
    @Override
    public String level() {
      return "warning";
    }

    @Override
    public String code() {
      return "overfitting";
    }

    @Override
    public String message() {
      return format(
          "Overfitting: validation loss rose for %d epochs (to %.3f, best %.3f) while"
              + " training loss kept falling. The network is memorising the training"
              + " set.",
          WINDOW, valLoss, bestValLoss);
    }
  }

  /** Training accuracy reached 99.5 % or the loss fell below 0.01. */
  record Converged(double accuracy, double loss) implements Observation {
    @Override
    public String level() {
      return "success";
    }

    @Override
    public String code() {
      return "converged";
    }

    @Override
    public String message() {
      return format("Converged: training accuracy %.1f%%, loss %.4f.", accuracy * 100, loss);
    }
  }

  /** {@code deadUnits} of the {@code units} of ReLU layer {@code index} output zero throughout. */
  record DeadRelu(int index, int deadUnits, int units) implements Observation {
    @Override
    public String level() {
      return deadUnits == units ? "error" : "warning";
    }

    @Override
    public String code() {
      return "dead-relu";
    }

    @Override
    public String message() {
      return format(
          "Dead ReLU: %d unit%s of layer %d output zero for every sample, so no gradient"
              + " flows through %s. A lower learning rate or He initialisation helps.",
          deadUnits, deadUnits == 1 ? "" : "s", index + 1, deadUnits == 1 ? "it" : "them");
    }

    @Override
    public Integer layer() {
      return index;
    }
  }

  /** More than half the outputs of sigmoid layer {@code index} are within 0.01 of 0 or 1. */
  record SaturatedSigmoid(int index, double fraction) implements Observation {
    @Override
    public String level() {
      return "warning";
    }

    @Override
    public String code() {
      return "saturated-sigmoid";
    }

    @Override
    public String message() {
      return format(
          "Saturated sigmoids: %.0f%% of layer %d's outputs are below 0.01 or above 0.99,"
              + " where the sigmoid is flat and gradients vanish.",
          fraction * 100, index + 1);
    }

    @Override
    public Integer layer() {
      return index;
    }
  }

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

  /** Every rule on one epoch's figures, in the order their observations are emitted. */
  List<Observation> afterEpoch(
      int epoch, double loss, double accuracy, Double valLoss, List<LayerStat> stats) {
    List<Observation> out = new ArrayList<>();
    losses.add(loss);
    if (epoch == 1) out.add(started(loss));
    // The trend reads whether convergence was said before this epoch: a converged loss is flat.
    lossTrend(losses, convergedSaid).ifPresent(out::add);
    if (valLoss != null) overfitting(valLoss, losses).ifPresent(out::add);
    converged(loss, accuracy).ifPresent(out::add);
    if (stats != null) {
      for (LayerStat s : stats) {
        deadRelu(s).ifPresent(out::add);
        saturatedSigmoid(s).ifPresent(out::add);
      }
    }
    return out;
  }

  /** Whether the run has converged (said so once). */
  boolean converged() {
    return convergedSaid;
  }

  /** The first epoch's observation. */
  Started started(double loss) {
    return new Started(loss, classes);
  }

  /**
   * The training loss's trend over {@code losses} (every epoch's so far), when it changed. Trends
   * compare 5-epoch means, not single epochs: an epoch's training loss is the mean over its
   * shuffled batches, whose noise would otherwise flip the trend back and forth. A plateau is not
   * reported once the run has {@code converged}.
   */
  Optional<Observation> lossTrend(List<Double> losses, boolean converged) {
    int n = losses.size();
    if (n < 2 * WINDOW) return Optional.empty();
    double now = mean(losses, n, WINDOW), before = mean(losses, n - WINDOW, WINDOW);
    double change = (now - before) / Math.max(before, 1e-12);
    // Leaving a plateau takes a clear move, so noise around a flat loss does not count as one.
    double falling = trend.equals("plateau") ? -0.05 : -0.01;
    String next = trend;
    if (change < falling) next = "loss-decreasing";
    else if (change > 0.05) next = "loss-rising";
    if (n >= PLATEAU_WINDOW + WINDOW && !converged && !next.equals("loss-rising")) {
      double old = mean(losses, n - PLATEAU_WINDOW, WINDOW);
      if (Math.abs(now - old) / Math.max(old, 1e-12) < 0.005) next = "plateau";
    }
    // The trend is one state; it is reported when it changes, not on every epoch it holds.
    if (next.equals(trend)) return Optional.empty();
    trend = next;
    return Optional.of(
        switch (next) {
          case "loss-decreasing" -> new LossDecreasing(before, now);
          case "loss-rising" -> new LossRising(before, now);
          default -> new Plateau(losses.get(n - 1));
        });
  }

  /**
   * Overfitting, when it starts: this epoch's {@code valLoss} is the last of {@link #WINDOW} rises
   * while the training loss (every epoch's so far in {@code losses}) falls. It holds until
   * validation loss sets a new minimum.
   */
  Optional<Observation> overfitting(double valLoss, List<Double> losses) {
    valLosses.add(valLoss);
    int v = valLosses.size(), n = losses.size();
    Observation found = null;
    if (overfitting && valLoss < bestValLoss) overfitting = false;
    if (!overfitting && v > WINDOW && n > WINDOW && valLossRose() && trainingLossFell(losses)) {
      overfitting = true;
      found = new Overfitting(valLoss, bestValLoss);
    }
    bestValLoss = Math.min(bestValLoss, valLoss);
    return Optional.ofNullable(found);
  }

  /** Convergence, the first time it holds. */
  Optional<Observation> converged(double loss, double accuracy) {
    if (convergedSaid || !(accuracy >= 0.995 || loss < 0.01)) return Optional.empty();
    convergedSaid = true;
    return Optional.of(new Converged(accuracy, loss));
  }

  /** Dead units of a ReLU layer, when some die (again after they recovered). */
  Optional<Observation> deadRelu(LayerStat s) {
    if (s.deadUnits() == null) return Optional.empty();
    return when(s.deadUnits() > 0, new DeadRelu(s.index(), s.deadUnits(), s.units()));
  }

  /**
   * Saturation of a sigmoid layer, when most of its outputs saturate (again after they did not).
   */
  Optional<Observation> saturatedSigmoid(LayerStat s) {
    if (s.saturatedFraction() == null) return Optional.empty();
    return when(
        s.saturatedFraction() > 0.5, new SaturatedSigmoid(s.index(), s.saturatedFraction()));
  }

  /** {@code o} when its condition has just become true; tracks the condition per code and layer. */
  private Optional<Observation> when(boolean condition, Observation o) {
    String key = o.layer() == null ? o.code() : o.code() + "#" + o.layer();
    if (!condition) active.remove(key);
    return condition && active.add(key) ? Optional.of(o) : Optional.empty();
  }

  /** Whether each of the last {@link #WINDOW} validation losses rose above the one before. */
  private boolean valLossRose() {
    int v = valLosses.size();
    for (int i = v - WINDOW; i < v; i++)
      if (!(valLosses.get(i) > valLosses.get(i - 1))) return false;
    return true;
  }

  /** Whether the mean of the last {@link #WINDOW} losses is below that of the window before. */
  private static boolean trainingLossFell(List<Double> losses) {
    int n = losses.size();
    return n >= 2 * WINDOW && mean(losses, n, WINDOW) < mean(losses, n - WINDOW, WINDOW);
  }

  /** Mean of the {@code count} losses before index {@code end}. */
  private static double mean(List<Double> losses, int end, int count) {
    double sum = 0;
    int from = Math.max(0, end - count);
    for (int i = from; i < end; i++) sum += losses.get(i);
    return sum / Math.max(1, end - from);
  }

  private static String format(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  static String divergedReason(int epoch, double loss, double learningRate) {
    return format(
        "Diverged: the loss became %s at epoch %d. The learning rate %s is probably too high;"
            + " try a value 10 times smaller.",
        Double.isNaN(loss) ? "NaN" : "infinite", epoch, learningRate);
  }
}
