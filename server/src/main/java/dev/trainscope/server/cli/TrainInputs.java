package dev.trainscope.server.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainscope.engine.check.InvalidValueException;
import dev.trainscope.engine.data.Dataset;
import dev.trainscope.server.json.JsonInputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The files {@code train} reads ({@code --config}, {@code --csv}), each problem reported as one
 * line naming the flag, the file and what is wrong, never a parser's internals.
 */
final class TrainInputs {
  /** More distinct numeric labels than this in an unnamed last column are measurements. */
  static final int MAX_NUMERIC_CLASSES = 20;

  private TrainInputs() {}

  /** The {@code --config} file's JSON object. */
  static ObjectNode configFile(Path file, ObjectMapper mapper) throws IOException {
    return jsonFile("--config", file, mapper);
  }

  /** The {@code --sweep} file's JSON object. */
  static ObjectNode sweepFile(Path file, ObjectMapper mapper) throws IOException {
    return jsonFile("--sweep", file, mapper);
  }

  private static ObjectNode jsonFile(String flag, Path file, ObjectMapper mapper)
      throws IOException {
    checkFile(flag, file, flag.substring(2) + " file not found: ");
    JsonNode tree;
    try {
      tree = mapper.readTree(Files.readAllBytes(file));
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where =
          at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new JsonInputException(
          null, flag + " " + file + ": malformed JSON" + where + ": " + firstLine(e));
    }
    if (tree == null || !tree.isObject()) {
      throw new JsonInputException(null, flag + " " + file + ": a JSON object required");
    }
    return (ObjectNode) tree;
  }

  /**
   * The {@code --csv} data set. Without {@code labelColumn} the last column is the label, unless it
   * holds measurements (non-integers, or more than {@link #MAX_NUMERIC_CLASSES} distinct numbers):
   * then the user must name the label column, rather than train on one class per row.
   */
  static Dataset csv(Path file, String labelColumn) throws IOException {
    checkFile("--csv", file, "CSV file not found: ");
    Dataset data;
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      data = Dataset.parseCsv(file.getFileName().toString(), reader, labelColumn);
    }
    List<String> classes = data.classes();
    boolean measurements =
        classes.stream().allMatch(TrainInputs::isNumber)
            && (classes.size() > MAX_NUMERIC_CLASSES
                || !classes.stream().allMatch(c -> c.matches("-?\\d+")));
    if (labelColumn == null && measurements) {
      List<String> columns = header(file);
      throw new InvalidValueException(
          "labelColumn",
          "--csv "
              + file
              + ": the last column \""
              + columns.get(columns.size() - 1)
              + "\" has "
              + classes.size()
              + " different numbers, not class labels; name the label column with"
              + " --label-column (columns: "
              + String.join(", ", columns)
              + ")");
    }
    return data;
  }

  private static void checkFile(String flag, Path file, String missing) {
    String field = flag.substring(2);
    if (Files.isDirectory(file)) {
      throw new InvalidValueException(field, flag + " " + file + " is a directory, not a file");
    }
    if (!Files.exists(file)) throw new InvalidValueException(field, missing + file);
  }

  private static List<String> header(Path file) throws IOException {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line = in.readLine().replace("\uFEFF", "");
      return Arrays.stream(line.split(",", -1)).map(s -> s.trim().replace("\"", "")).toList();
    }
  }

  private static boolean isNumber(String s) {
    try {
      Double.parseDouble(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String firstLine(JsonProcessingException e) {
    String what = e.getOriginalMessage();
    int nl = what.indexOf('\n');
    return nl > 0 ? what.substring(0, nl) : what;
  }
}
