package dev.trainscope.server.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A text line chart for terminals: one '*' per column, y labels on the left. Pure. */
public final class AsciiChart {
  private AsciiChart() {}

  /**
   * Renders {@code values} (in order, e.g. loss by epoch) into {@code height} rows of at most
   * {@code width} plot columns. With more values than columns, each column shows the mean of its
   * slice; with fewer, each value gets one column.
   */
  public static List<String> render(List<Double> values, int width, int height) {
    if (width < 1 || height < 2) {
      throw new IllegalArgumentException(
          "width >= 1 and height >= 2 required but was " + width + " x " + height);
    }
    List<String> lines = new ArrayList<>();
    if (values.isEmpty()) return lines;
    int columns = Math.min(width, values.size());
    double[] col = new double[columns];
    for (int c = 0; c < columns; c++) {
      int from = (int) ((long) c * values.size() / columns);
      int to = (int) ((long) (c + 1) * values.size() / columns);
      double sum = 0;
      for (int i = from; i < to; i++) sum += values.get(i);
      col[c] = sum / (to - from);
    }
    double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
    for (double v : col) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    double span = max - min;
    char[][] grid = new char[height][columns];
    for (char[] row : grid) java.util.Arrays.fill(row, ' ');
    for (int c = 0; c < columns; c++) {
      int row = span == 0 ? height / 2 : (int) Math.round((max - col[c]) / span * (height - 1));
      grid[row][c] = '*';
    }
    for (int r = 0; r < height; r++) {
      String label = "";
      if (r == 0) label = format(max);
      else if (r == height - 1) label = format(min);
      else if (r == (height - 1) / 2) label = format(max - span * r / (height - 1));
      lines.add(String.format(Locale.ROOT, "%9s |%s", label, new String(grid[r])).stripTrailing());
    }
    lines.add(" ".repeat(10) + "+" + "-".repeat(columns));
    return lines;
  }

  private static String format(double v) {
    return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.1f" : "%.4f", v);
  }
}
