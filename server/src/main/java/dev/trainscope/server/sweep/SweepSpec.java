package dev.trainscope.server.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainscope.server.json.JsonInputException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A sweep request as {@code POST /api/sweeps} and {@code train --sweep} take it, its shape checked
 * (values are checked against the config by {@link SweepPlan}): either a {@code grid} of values per
 * field path, each combination {@code repeats} times, or {@code random} draws ({@code count} runs,
 * from {@code seed}) of ranges or choices per field path. Each problem is a {@link
 * JsonInputException} naming the field, e.g. {@code grid.batchSize}.
 */
public record SweepSpec(
    String name,
    ObjectNode base,
    Map<String, List<JsonNode>> grid,
    int repeats,
    Map<String, Draw> random,
    int count,
    long seed) {
  public static final int MAX_RUNS = 1000;
  public static final int MAX_NAME_LENGTH = 200;
  public static final int MAX_FIELDS = 32;
  private static final Set<String> KEYS =
      Set.of("name", "base", "grid", "repeats", "random", "count", "seed");

  /** How one field of a random sweep is drawn. */
  public sealed interface Draw {}

  /** Uniform in [min, max] (integers for integer fields), or log-uniform when {@code log}. */
  public record Range(double min, double max, boolean log) implements Draw {}

  /** One of the values, each as likely. */
  public record Choices(List<JsonNode> values) implements Draw {}

  public boolean isGrid() {
    return grid != null;
  }

  /** The field paths the request names, in its order. */
  public List<String> paths() {
    return List.copyOf(isGrid() ? grid.keySet() : random.keySet());
  }

  /** How many runs the sweep has; at most {@link #MAX_RUNS} once parsed. */
  public int size() {
    return isGrid() ? (int) gridSize(grid, repeats) : count;
  }

  public static SweepSpec parse(JsonNode body) {
    if (body == null || body.isMissingNode() || body.isNull()) {
      throw new JsonInputException(null, "a sweep object required: {name, base, grid|random}");
    }
    if (!(body instanceof ObjectNode o)) {
      throw new JsonInputException(null, "a JSON object required but was " + body.getNodeType());
    }
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!KEYS.contains(key)) {
        throw new JsonInputException(
            key,
            "unknown field \""
                + key
                + "\": a sweep takes "
                + String.join(", ", KEYS.stream().sorted().toList()));
      }
    }
    String name = name(o.get("name"));
    JsonNode baseNode = o.get("base");
    if (baseNode != null && !baseNode.isNull() && !baseNode.isObject()) {
      throw new JsonInputException(
          "base", "base: a training config object required but was " + baseNode.getNodeType());
    }
    ObjectNode base =
        baseNode instanceof ObjectNode b ? b.deepCopy() : JsonNodeFactory.instance.objectNode();
    base.remove("name"); // each run's name says what varies
    boolean hasGrid = o.hasNonNull("grid");
    boolean hasRandom = o.hasNonNull("random");
    if (hasGrid == hasRandom) {
      throw new JsonInputException(
          hasGrid ? "random" : "grid", "exactly one of grid and random required");
    }
    if (hasGrid) {
      refuse(o, "count", "count is for random sweeps; a grid sweep takes repeats");
      refuse(o, "seed", "seed is for random sweeps; set base.seed, or grid the seed");
      Map<String, List<JsonNode>> grid = grid(o.get("grid"));
      int repeats = integer(o.get("repeats"), "repeats", 1, 1, MAX_RUNS);
      long size = gridSize(grid, repeats);
      if (size > MAX_RUNS) {
        throw new JsonInputException(
            "grid", "a sweep of at most " + MAX_RUNS + " runs required but was " + sizeText(size));
      }
      return new SweepSpec(name, base, grid, repeats, null, 0, 0);
    }
    refuse(o, "repeats", "repeats is for grid sweeps; a random sweep takes count");
    Map<String, Draw> random = random(o.get("random"));
    if (!o.has("count")) throw new JsonInputException("count", "count required for a random sweep");
    int count = integer(o.get("count"), "count", 0, 1, MAX_RUNS);
    JsonNode seed = o.get("seed");
    if (seed != null && !seed.isNull() && !seed.isIntegralNumber()) {
      throw new JsonInputException("seed", "seed: an integer required but was " + seed);
    }
    return new SweepSpec(
        name, base, null, 0, random, count, seed == null || seed.isNull() ? 0 : seed.asLong());
  }

  private static String name(JsonNode n) {
    if (n == null || n.isNull()) return "sweep";
    if (!n.isTextual() || n.asText().isBlank() || n.asText().length() > MAX_NAME_LENGTH) {
      throw new JsonInputException(
          "name",
          "name: a non-blank string of at most "
              + MAX_NAME_LENGTH
              + " characters required but was "
              + (n.isTextual() ? n.asText().length() + " characters" : n.getNodeType()));
    }
    return n.asText().strip();
  }

  private static void refuse(ObjectNode o, String key, String why) {
    if (o.hasNonNull(key)) throw new JsonInputException(key, why);
  }

  private static Map<String, List<JsonNode>> grid(JsonNode node) {
    Map<String, List<JsonNode>> grid = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> f : fields(node, "grid")) {
      String field = "grid." + f.getKey();
      JsonNode values = f.getValue();
      if (!values.isArray() || values.isEmpty()) {
        throw new JsonInputException(
            field, field + ": a non-empty array of values required but was " + values);
      }
      if (values.size() > MAX_RUNS) {
        throw new JsonInputException(
            field, field + ": at most " + MAX_RUNS + " values required but was " + values.size());
      }
      List<JsonNode> list = new ArrayList<>();
      values.forEach(list::add);
      grid.put(f.getKey(), List.copyOf(list));
    }
    return grid;
  }

  private static Map<String, Draw> random(JsonNode node) {
    Map<String, Draw> random = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> f : fields(node, "random")) {
      String field = "random." + f.getKey();
      JsonNode v = f.getValue();
      if (v.isArray() && !v.isEmpty()) {
        List<JsonNode> list = new ArrayList<>();
        v.forEach(list::add);
        random.put(f.getKey(), new Choices(List.copyOf(list)));
      } else if (v.isObject()) {
        random.put(f.getKey(), range(field, (ObjectNode) v));
      } else {
        throw new JsonInputException(
            field,
            field
                + ": {\"min\", \"max\", \"log\"} or a non-empty array of choices required but was "
                + v);
      }
    }
    return random;
  }

  private static Range range(String field, ObjectNode v) {
    for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!Set.of("min", "max", "log").contains(key)) {
        throw new JsonInputException(
            field + "." + key, field + ": unknown field \"" + key + "\" (min, max, log)");
      }
    }
    double min = finite(v.get("min"), field + ".min");
    double max = finite(v.get("max"), field + ".max");
    if (!(min <= max)) {
      throw new JsonInputException(
          field, field + ": min <= max required but was min " + min + ", max " + max);
    }
    JsonNode log = v.get("log");
    if (log != null && !log.isNull() && !log.isBoolean()) {
      throw new JsonInputException(
          field + ".log", field + ".log: true or false required but was " + log);
    }
    boolean isLog = log != null && log.asBoolean(false);
    if (isLog && !(min > 0)) {
      throw new JsonInputException(
          field + ".min", field + ".min: > 0 required for a log range but was " + min);
    }
    return new Range(min, max, isLog);
  }

  private static double finite(JsonNode n, String field) {
    if (n == null || !n.isNumber() || !Double.isFinite(n.asDouble())) {
      throw new JsonInputException(field, field + ": a finite number required but was " + n);
    }
    return n.asDouble();
  }

  private static List<Map.Entry<String, JsonNode>> fields(JsonNode node, String what) {
    if (!(node instanceof ObjectNode o) || o.isEmpty()) {
      throw new JsonInputException(
          what, what + ": an object of field path -> values required but was " + node);
    }
    if (o.size() > MAX_FIELDS) {
      throw new JsonInputException(
          what, what + ": at most " + MAX_FIELDS + " field paths required but was " + o.size());
    }
    List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
    o.fields().forEachRemaining(out::add);
    for (Map.Entry<String, JsonNode> f : out) {
      if (!ConfigPaths.isKnown(f.getKey())) {
        String field = what + "." + f.getKey();
        throw new JsonInputException(
            field,
            field
                + ": unknown field path \""
                + f.getKey()
                + "\"; known: "
                + String.join(", ", ConfigPaths.all()));
      }
    }
    return out;
  }

  private static int integer(JsonNode n, String field, int absent, int min, int max) {
    if (n == null || n.isNull()) return absent;
    if (!n.isIntegralNumber() || n.asLong() < min || n.asLong() > max) {
      throw new JsonInputException(
          field, field + " in [" + min + ", " + max + "] required but was " + n);
    }
    return n.asInt();
  }

  /** The product of the value counts times repeats ({@link Long#MAX_VALUE} when it overflows). */
  private static long gridSize(Map<String, List<JsonNode>> grid, int repeats) {
    long size = Math.max(1, repeats);
    for (List<JsonNode> values : grid.values()) {
      try {
        size = Math.multiplyExact(size, values.size());
      } catch (ArithmeticException e) {
        return Long.MAX_VALUE;
      }
    }
    return size;
  }

  private static String sizeText(long size) {
    return size == Long.MAX_VALUE ? "more than " + Long.MAX_VALUE : Long.toString(size);
  }
}
