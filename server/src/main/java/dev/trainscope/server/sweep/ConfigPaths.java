package dev.trainscope.server.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainscope.engine.config.TrainingConfig;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The dotted paths of a {@link TrainingConfig}'s fields ({@code batchSize}, {@code
 * optimizer.learningRate}), derived from the record's components so a new config field is a new
 * path without a second list to keep in step. {@code name} is not among them: it labels a run, it
 * does not train it (summaries carry it of their own). Lists are leaves; a list of records (the
 * layers) reads as a compact string, {@code "8 relu, 3 softmax"}.
 */
public final class ConfigPaths {
  /** What a path's values are, for drawing random ones and for saying what was expected. */
  public enum Type {
    INTEGER,
    NUMBER,
    BOOLEAN,
    STRING,
    LIST
  }

  private record Leaf(String path, List<RecordComponent> chain, Type type) {}

  private static final List<Leaf> LEAVES = leaves(TrainingConfig.class, "", List.of());
  private static final Map<String, Leaf> BY_PATH =
      LEAVES.stream()
          .collect(Collectors.toMap(Leaf::path, l -> l, (a, b) -> a, LinkedHashMap::new));

  private ConfigPaths() {}

  /** Every path, in the record's order. */
  public static List<String> all() {
    return List.copyOf(BY_PATH.keySet());
  }

  public static boolean isKnown(String path) {
    return BY_PATH.containsKey(path);
  }

  /** The type of a known path's values. */
  public static Type type(String path) {
    Leaf leaf = BY_PATH.get(path);
    if (leaf == null) throw new IllegalArgumentException("unknown config path " + path);
    return leaf.type();
  }

  /** The config's fields by path (a null field, such as an unset probe, is left out). */
  public static Map<String, Object> flatten(TrainingConfig config) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Leaf leaf : LEAVES) {
      Object v = config;
      for (RecordComponent c : leaf.chain()) {
        v = v == null ? null : read(c, v);
      }
      if (v instanceof List<?> list) v = compact(list);
      if (v != null) out.put(leaf.path(), v);
    }
    return Collections.unmodifiableMap(out);
  }

  /** Sets {@code value} at {@code path} in a config's JSON, creating the objects on the way. */
  public static void set(ObjectNode config, String path, JsonNode value) {
    String[] parts = path.split("\\.");
    ObjectNode at = config;
    for (int i = 0; i < parts.length - 1; i++) {
      at = at.get(parts[i]) instanceof ObjectNode o ? o : at.putObject(parts[i]);
    }
    at.set(parts[parts.length - 1], value);
  }

  /** A list as one string: records as their fields joined by spaces, items by commas. */
  public static String compact(List<?> list) {
    return list.stream().map(ConfigPaths::item).collect(Collectors.joining(", "));
  }

  private static String item(Object o) {
    if (o != null && o.getClass().isRecord()) {
      List<String> fields = new ArrayList<>();
      for (RecordComponent c : o.getClass().getRecordComponents()) {
        fields.add(String.valueOf(read(c, o)));
      }
      return String.join(" ", fields);
    }
    return String.valueOf(o);
  }

  private static List<Leaf> leaves(Class<?> record, String prefix, List<RecordComponent> chain) {
    List<Leaf> out = new ArrayList<>();
    for (RecordComponent c : record.getRecordComponents()) {
      if (prefix.isEmpty() && c.getName().equals("name")) continue;
      List<RecordComponent> next = new ArrayList<>(chain);
      next.add(c);
      String path = prefix + c.getName();
      if (c.getType().isRecord()) out.addAll(leaves(c.getType(), path + ".", next));
      else out.add(new Leaf(path, List.copyOf(next), typeOf(c.getType())));
    }
    return out;
  }

  private static Type typeOf(Class<?> t) {
    if (t == int.class || t == long.class || t == Integer.class || t == Long.class) {
      return Type.INTEGER;
    }
    if (t == double.class || t == float.class || t == Double.class) return Type.NUMBER;
    if (t == boolean.class || t == Boolean.class) return Type.BOOLEAN;
    if (List.class.isAssignableFrom(t)) return Type.LIST;
    return Type.STRING;
  }

  private static Object read(RecordComponent c, Object target) {
    try {
      return c.getAccessor().invoke(target);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read " + c.getName(), e);
    }
  }
}
