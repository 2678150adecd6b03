package dev.trainscope.server.remote;

import dev.trainscope.engine.event.TrainingEvent.Epoch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A run's epochs in Keras {@code CSVLogger}'s layout, so tools that read those files read ours:
 * header {@code epoch} then the metric names sorted, one row per epoch with the epoch 0-based,
 * comma-separated, {@code \r\n} line ends (Python's csv "excel" dialect), numbers as Python's
 * {@code repr} writes them, {@code NA} for a metric an epoch lacks; metric names that a spreadsheet
 * would run as a formula get a leading {@code '}. Pure.
 */
public final class MetricsCsv {
  private MetricsCsv() {}

  /** Keras' names for an epoch's metrics: its {@code metrics} map, else the standard fields. */
  public static Map<String, Double> kerasMetrics(Epoch e) {
    if (!e.metrics().isEmpty()) return e.metrics();
    Map<String, Double> m = new LinkedHashMap<>();
    if (e.loss() != null) m.put(MetricNames.LOSS.get(0), e.loss());
    if (e.accuracy() != null) m.put(MetricNames.ACCURACY.get(0), e.accuracy());
    if (e.valLoss() != null) m.put(MetricNames.VAL_LOSS.get(0), e.valLoss());
    if (e.valAccuracy() != null) m.put(MetricNames.VAL_ACCURACY.get(0), e.valAccuracy());
    return m;
  }

  public static String render(List<Epoch> epochs) {
    List<Map<String, Double>> rows = new ArrayList<>();
    TreeSet<String> names = new TreeSet<>();
    for (Epoch e : epochs) {
      Map<String, Double> m = kerasMetrics(e);
      rows.add(m);
      names.addAll(m.keySet());
    }
    names.remove("epoch");
    StringBuilder sb = new StringBuilder("epoch");
    for (String n : names) sb.append(',').append(csvCell(n));
    sb.append("\r\n");
    for (int i = 0; i < epochs.size(); i++) {
      sb.append(epochs.get(i).epoch() - 1);
      for (String n : names) {
        Double v = rows.get(i).get(n);
        sb.append(',').append(v == null ? "NA" : PythonFloat.repr(v));
      }
      sb.append("\r\n");
    }
    return sb.toString();
  }

  /**
   * A text cell: quoted as Python's csv module quotes, and neutralised as OWASP recommends for CSV
   * injection (a leading {@code '} when it starts with {@code = + - @}, tab or CR), since a
   * spreadsheet would run it as a formula. Metric names are the only text; numbers never pass here.
   */
  static String csvCell(String raw) {
    String s = raw;
    if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) s = "'" + s;
    if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
      return '"' + s.replace("\"", "\"\"") + '"';
    }
    return s;
  }
}
