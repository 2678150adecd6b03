package dev.trainscope.server.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainscope.engine.check.InvalidValueException;
import dev.trainscope.engine.data.Dataset;
import dev.trainscope.server.json.JsonInputException;
import dev.trainscope.server.runs.CsvData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files {@code train} reads ({@code --config}, {@code --csv}), each problem reported as one
 * line naming the flag, the file and what is wrong, never a parser's internals.
 */
final class TrainInputs {
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
   * holds measurements (non-integers, or more than {@link CsvData#MAX_NUMERIC_CLASSES} distinct
   * numbers): then the user must name the label column, rather than train on one class per row.
   */
  static Dataset csv(Path file, String labelColumn) throws IOException {
    checkFile("--csv", file, "CSV file not found: ");
    String text = Files.readString(file, StandardCharsets.UTF_8);
    return CsvData.parse(
        file.getFileName().toString(), text, labelColumn, "--csv " + file, "--label-column");
  }

  private static void checkFile(String flag, Path file, String missing) {
    String field = flag.substring(2);
    if (Files.isDirectory(file)) {
      throw new InvalidValueException(field, flag + " " + file + " is a directory, not a file");
    }
    if (!Files.exists(file)) throw new InvalidValueException(field, missing + file);
  }

  private static String firstLine(JsonProcessingException e) {
    String what = e.getOriginalMessage();
    int nl = what.indexOf('\n');
    return nl > 0 ? what.substring(0, nl) : what;
  }
}
