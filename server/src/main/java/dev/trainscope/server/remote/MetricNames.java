package dev.trainscope.server.remote;

import dev.trainscope.engine.event.TrainingEvent.Epoch;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The names other tools give the standard figures of an epoch (Keras' {@code logs}, MLflow's metric
 * keys), in order of preference: the one table that maps them to an {@link Epoch}'s fields.
 */
public final class MetricNames {
  private MetricNames() {}

  public static final List<String> LOSS = List.of("loss");
  public static final List<String> ACCURACY = List.of("accuracy", "acc");
  public static final List<String> VAL_LOSS = List.of("val_loss");
  public static final List<String> VAL_ACCURACY = List.of("val_accuracy", "val_acc");
  public static final List<String> LEARNING_RATE = List.of("learning_rate", "lr");

  /**
   * Every name that repeats a standard field of the same epoch: the names above and the fields' own
   * names (a pushed epoch may carry them in {@code metrics} too).
   */
  public static final Set<String> STANDARD = standard();

  /**
   * The {@code epoch} event of one epoch's named metrics, as another tool logged them: the standard
   * fields from the names above (finite values only), every metric kept under {@code metrics}.
   */
  public static Epoch epoch(
      String runId, long seq, long time, int epoch, Map<String, Double> metrics) {
    return new Epoch(
        runId,
        seq,
        time,
        epoch,
        0,
        first(metrics, LOSS),
        first(metrics, ACCURACY),
        first(metrics, VAL_LOSS),
        first(metrics, VAL_ACCURACY),
        first(metrics, LEARNING_RATE),
        0,
        metrics);
  }

  /** The first of {@code names} that {@code metrics} holds; null when none, or when not finite. */
  public static Double first(Map<String, Double> metrics, List<String> names) {
    for (String n : names) {
      Double v = metrics.get(n);
      if (v != null) return Double.isFinite(v) ? v : null;
    }
    return null;
  }

  private static Set<String> standard() {
    Set<String> all = new LinkedHashSet<>();
    for (List<String> names : List.of(LOSS, ACCURACY, VAL_LOSS, VAL_ACCURACY, LEARNING_RATE)) {
      all.addAll(names);
    }
    all.addAll(List.of("valLoss", "valAccuracy", "learningRate"));
    return Set.copyOf(all);
  }
}
