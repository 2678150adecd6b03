package dev.trainscope.engine.data;

import dev.trainscope.engine.check.InvalidValueException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * A labelled data set: numeric features and integer class labels indexing {@link #classes()}.
 * Immutable; the arrays it hands out are copies.
 */
public final class Dataset {
  private final String name;
  private final List<String> featureNames;
  private final List<String> classes;
  private final double[][] features;
  private final int[] labels;

  public Dataset(
      String name,
      List<String> featureNames,
      List<String> classes,
      double[][] features,
      int[] labels) {
    if (features.length != labels.length) {
      throw new IllegalArgumentException(
          "one label per sample required but was "
              + labels.length
              + " labels for "
              + features.length
              + " samples");
    }
    if (features.length == 0) {
      throw new InvalidValueException("dataset", "at least one sample required but was 0");
    }
    for (double[] row : features) {
      if (row.length != featureNames.size()) {
        throw new IllegalArgumentException(
            featureNames.size() + " features per sample required but was " + row.length);
      }
    }
    for (int label : labels) {
      if (label < 0 || label >= classes.size()) {
        throw new IllegalArgumentException(
            "label in [0, " + classes.size() + ") required but was " + label);
      }
    }
    this.name = name;
    this.featureNames = List.copyOf(featureNames);
    this.classes = List.copyOf(classes);
    this.features = Arrays.stream(features).map(double[]::clone).toArray(double[][]::new);
    this.labels = labels.clone();
  }

  public String name() {
    return name;
  }

  public List<String> featureNames() {
    return featureNames;
  }

  public List<String> classes() {
    return classes;
  }

  public int size() {
    return labels.length;
  }

  public int featureCount() {
    return featureNames.size();
  }

  public double[] features(int i) {
    return features[i].clone();
  }

  public int label(int i) {
    return labels[i];
  }

  /**
   * Parses a CSV with a header row: every column but the label column must be numeric; the label
   * column (by name, or the last column when {@code labelColumn} is null) holds class names,
   * numbered in sorted order. Errors name the line and column.
   */
  public static Dataset parseCsv(String name, Reader reader, String labelColumn)
      throws IOException {
    BufferedReader in = new BufferedReader(reader);
    String header = in.readLine();
    // A UTF-8 byte order mark (as spreadsheet programs write) is not part of the first name.
    if (header != null && header.startsWith("\uFEFF")) header = header.substring(1);
    if (header == null || header.isBlank()) {
      throw new InvalidValueException("csv", name + ": header row required but the file was empty");
    }
    String[] columns = split(header);
    int labelIndex = columns.length - 1;
    if (labelColumn != null) {
      labelIndex = Arrays.asList(columns).indexOf(labelColumn);
      if (labelIndex < 0) {
        throw new InvalidValueException(
            "labelColumn",
            name
                + ": label column \""
                + labelColumn
                + "\" required but the header has "
                + Arrays.toString(columns));
      }
    }
    if (columns.length < 2) {
      throw new InvalidValueException(
          "csv", name + ": at least one feature and a label column required but was " + header);
    }
    List<String> featureNames = new ArrayList<>();
    for (int c = 0; c < columns.length; c++) if (c != labelIndex) featureNames.add(columns[c]);
    List<double[]> rows = new ArrayList<>();
    List<String> labelNames = new ArrayList<>();
    String line;
    int lineNo = 1;
    while ((line = in.readLine()) != null) {
      lineNo++;
      if (line.isBlank()) continue;
      String[] cells = split(line);
      if (cells.length != columns.length) {
        throw new InvalidValueException(
            "csv",
            name
                + ": line "
                + lineNo
                + ": "
                + columns.length
                + " columns required but was "
                + cells.length);
      }
      double[] row = new double[featureNames.size()];
      int f = 0;
      for (int c = 0; c < cells.length; c++) {
        if (c == labelIndex) continue;
        try {
          row[f] = Double.parseDouble(cells[c]);
        } catch (NumberFormatException e) {
          row[f] = Double.NaN;
        }
        if (!Double.isFinite(row[f])) {
          throw new InvalidValueException(
              "csv",
              name
                  + ": line "
                  + lineNo
                  + ", column "
                  + columns[c]
                  + ": a finite number required but was \""
                  + cells[c]
                  + "\"");
        }
        f++;
      }
      rows.add(row);
      labelNames.add(cells[labelIndex]);
    }
    if (rows.isEmpty()) {
      throw new InvalidValueException("csv", name + ": at least one data row required but was 0");
    }
    List<String> classes = new ArrayList<>(new TreeSet<>(labelNames));
    if (classes.size() < 2) {
      throw new InvalidValueException(
          "csv", name + ": at least 2 classes required but was " + classes.size());
    }
    int[] labels = labelNames.stream().mapToInt(classes::indexOf).toArray();
    return new Dataset(name, featureNames, classes, rows.toArray(double[][]::new), labels);
  }

  private static String[] split(String line) {
    String[] cells = line.split(",", -1);
    for (int i = 0; i < cells.length; i++) {
      String s = cells[i].trim();
      if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
        s = s.substring(1, s.length() - 1);
      }
      cells[i] = s;
    }
    return cells;
  }
}
