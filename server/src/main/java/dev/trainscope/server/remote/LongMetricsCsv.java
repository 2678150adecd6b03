package dev.trainscope.server.remote;

import dev.trainscope.engine.event.TrainingEvent.Epoch;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs' epoch metrics in long format, {@code run,epoch,metric,value}, one row per point: the
 * standard figures ({@code loss, accuracy, valLoss, valAccuracy, learningRate}) then the epoch's
 * other named metrics sorted by name (Keras' names of the standard figures, which its runs also
 * carry, are not repeated). Quoting as {@link MetricsCsv}; numbers as Python's {@code repr}. Pure.
 */
public final class LongMetricsCsv {
  public static final String HEADER = "run,epoch,metric,value\r\n";

  private LongMetricsCsv() {}

  /** The rows of one epoch of a run. */
  public static void appendRows(StringBuilder sb, String runId, Epoch e) {
    String run = MetricsCsv.csvCell(runId);
    row(sb, run, e.epoch(), "loss", e.loss());
    row(sb, run, e.epoch(), "accuracy", e.accuracy());
    row(sb, run, e.epoch(), "valLoss", e.valLoss());
    row(sb, run, e.epoch(), "valAccuracy", e.valAccuracy());
    row(sb, run, e.epoch(), "learningRate", e.learningRate());
    for (Map.Entry<String, Double> m : new TreeMap<>(e.metrics()).entrySet()) {
      if (MetricNames.STANDARD.contains(m.getKey())) continue;
      row(sb, run, e.epoch(), MetricsCsv.csvCell(m.getKey()), m.getValue());
    }
  }

  private static void row(StringBuilder sb, String run, int epoch, String metric, Double v) {
    if (v == null) return;
    sb.append(run)
        .append(',')
        .append(epoch)
        .append(',')
        .append(metric)
        .append(',')
        .append(PythonFloat.repr(v))
        .append("\r\n");
  }
}
