package dev.trainscope.server.cli;

import dev.trainscope.engine.event.DecisionBoundary;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * A {@code decision-boundary} as text, one character per class, like the loss chart: what the
 * network predicts over the plane, top row first. Terminal cells are about twice as tall as wide,
 * so each text row samples every second grid row.
 */
final class BoundaryText {
  /** One character per class index; classes beyond these share the last. */
  static final String MARKS = "ox+#*@%&=~";

  private BoundaryText() {}

  static char mark(int cls) {
    return MARKS.charAt(Math.min(cls, MARKS.length() - 1));
  }

  /** The map's rows (top first), then a legend naming each class's character. */
  static List<String> render(DecisionBoundary map, List<String> classes) {
    byte[] predicted = Base64.getDecoder().decode(map.predicted());
    int g = map.grid();
    List<String> lines = new ArrayList<>();
    for (int row = 0; row < g; row += 2) {
      StringBuilder line = new StringBuilder(g + 2).append("  ");
      for (int col = 0; col < g; col++) line.append(mark(predicted[row * g + col] & 0xff));
      lines.add(line.toString());
    }
    StringBuilder legend = new StringBuilder("  ");
    for (int c = 0; c < classes.size(); c++) {
      if (c > 0) legend.append(", ");
      legend.append(mark(c)).append(" = ").append(classes.get(c));
    }
    lines.add(legend.toString());
    lines.add(
        String.format(
            Locale.ROOT,
            "  x from %.2f to %.2f, y from %.2f (bottom) to %.2f (top), epoch %d",
            map.xMin(),
            map.xMax(),
            map.yMin(),
            map.yMax(),
            map.epoch()));
    return lines;
  }
}
