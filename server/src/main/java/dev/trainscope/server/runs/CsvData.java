package dev.trainscope.server.runs;

import dev.trainscope.engine.check.InvalidValueException;
import dev.trainscope.engine.data.Dataset;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.Arrays;
import java.util.List;

/**
 * The CSV rules of every data set a user brings, the CLI's {@code --csv} and the server's uploads
 * alike: {@link Dataset#parseCsv} (header row, numeric features, errors naming line and column),
 * and an unnamed last column must hold class labels, not measurements.
 */
public final class CsvData {
  /** More distinct numeric labels than this in an unnamed last column are measurements. */
  public static final int MAX_NUMERIC_CLASSES = 20;

  private CsvData() {}

  /**
   * Parses {@code text}; {@code where} starts each message (e.g. {@code "--csv data.csv"}) and
   * {@code nameTheLabel} says how to name the label column (e.g. {@code "--label-column"}).
   */
  public static Dataset parse(
      String name, String text, String labelColumn, String where, String nameTheLabel)
      throws IOException {
    Dataset data = Dataset.parseCsv(name, new StringReader(text), labelColumn);
    List<String> classes = data.classes();
    boolean measurements =
        classes.stream().allMatch(CsvData::isNumber)
            && (classes.size() > MAX_NUMERIC_CLASSES
                || !classes.stream().allMatch(c -> c.matches("-?\\d+")));
    if (labelColumn == null && measurements) {
      List<String> columns = header(text);
      throw new InvalidValueException(
          "labelColumn",
          where
              + ": the last column \""
              + columns.get(columns.size() - 1)
              + "\" has "
              + classes.size()
              + " different numbers, not class labels; name the label column with "
              + nameTheLabel
              + " (columns: "
              + String.join(", ", columns)
              + ")");
    }
    return data;
  }

  private static List<String> header(String text) throws IOException {
    String line = new BufferedReader(new StringReader(text)).readLine().replace("\uFEFF", "");
    return Arrays.stream(line.split(",", -1)).map(s -> s.trim().replace("\"", "")).toList();
  }

  private static boolean isNumber(String s) {
    try {
      Double.parseDouble(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
