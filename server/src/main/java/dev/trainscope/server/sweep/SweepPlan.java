package dev.trainscope.server.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainscope.engine.check.InvalidValueException;
import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.server.json.EventCodec;
import dev.trainscope.server.json.JsonInputException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A sweep expanded into its runs' configs, every value validated against the config before any run
 * starts. A grid is the cartesian product in the order the fields are given, the last varying
 * fastest, each combination {@code repeats} times with seed = base seed + repeat index (unless the
 * seed is a grid field); a random sweep draws each field in order from one {@link SplittableRandom}
 * of the request's seed. The same request always gives the same configs.
 *
 * @param varied the field paths whose value differs between runs, in the request's order
 */
public record SweepPlan(List<String> varied, List<Point> points) {
  /** Short labels of config paths in run names; the dashboard's legend uses the same. */
  public static final Map<String, String> SHORT =
      Map.of(
          "optimizer.learningRate", "lr",
          "optimizer.type", "opt",
          "batchSize", "batch",
          "weightDecay", "wd");

  /** One run of the sweep: its name (what varies, {@code lr=0.3 batch=16}) and config. */
  public record Point(String name, TrainingConfig config) {}

  /**
   * A problem of run {@code index} that only its data set shows (it does not fit the config), as a
   * 400 names it: {@code runs[3] (dataset=nope): ...}.
   */
  public InvalidValueException misfit(int index, InvalidValueException e) {
    String at = "runs[" + index + "]";
    return new InvalidValueException(
        at, at + " (" + points.get(index).name() + "): " + e.getMessage());
  }

  public static SweepPlan of(SweepSpec spec, EventCodec codec) {
    TrainingConfig base = decode(codec, spec.base(), "base", "");
    List<Map<String, JsonNode>> assignments =
        spec.isGrid() ? grid(spec, codec, base) : random(spec, codec);
    List<String> varied = varied(spec);
    List<Point> points = new ArrayList<>();
    for (int i = 0; i < assignments.size(); i++) {
      ObjectNode tree = spec.base().deepCopy();
      assignments.get(i).forEach((path, value) -> ConfigPaths.set(tree, path, value));
      TrainingConfig config = decode(codec, tree, "runs[" + i + "]", "");
      String name = name(spec.name(), i, varied, ConfigPaths.flatten(config));
      points.add(new Point(name, config.toBuilder().name(name).build()));
    }
    return new SweepPlan(List.copyOf(varied), List.copyOf(points));
  }

  private static List<Map<String, JsonNode>> grid(
      SweepSpec spec, EventCodec codec, TrainingConfig base) {
    List<String> paths = spec.paths();
    List<List<JsonNode>> values = new ArrayList<>();
    for (String path : paths) {
      List<JsonNode> given = spec.grid().get(path);
      for (int i = 0; i < given.size(); i++) {
        check(codec, spec.base(), path, given.get(i), "grid." + path + "[" + i + "]");
      }
      values.add(given);
    }
    boolean seedGiven = paths.contains("seed");
    List<Map<String, JsonNode>> out = new ArrayList<>();
    int[] at = new int[paths.size()];
    for (long n = spec.size() / spec.repeats(); n > 0; n--) {
      for (int r = 0; r < spec.repeats(); r++) {
        Map<String, JsonNode> a = new LinkedHashMap<>();
        for (int f = 0; f < paths.size(); f++) a.put(paths.get(f), values.get(f).get(at[f]));
        if (!seedGiven && spec.repeats() > 1) a.put("seed", LongNode.valueOf(base.seed() + r));
        out.add(a);
      }
      for (int f = paths.size() - 1; f >= 0; f--) { // the last field varies fastest
        if (++at[f] < values.get(f).size()) break;
        at[f] = 0;
      }
    }
    return out;
  }

  private static List<Map<String, JsonNode>> random(SweepSpec spec, EventCodec codec) {
    for (Map.Entry<String, SweepSpec.Draw> f : spec.random().entrySet()) {
      String path = f.getKey();
      String field = "random." + path;
      if (f.getValue() instanceof SweepSpec.Choices c) {
        for (int i = 0; i < c.values().size(); i++) {
          check(codec, spec.base(), path, c.values().get(i), field + "[" + i + "]");
        }
      } else if (f.getValue() instanceof SweepSpec.Range r) {
        ConfigPaths.Type type = ConfigPaths.type(path);
        if (type != ConfigPaths.Type.INTEGER && type != ConfigPaths.Type.NUMBER) {
          throw new JsonInputException(
              field, field + ": a list of choices required for a non-numeric field");
        }
        if (type == ConfigPaths.Type.INTEGER && Math.ceil(r.min()) > Math.floor(r.max())) {
          throw new JsonInputException(
              field, field + ": an integer between min and max required for an integer field");
        }
        check(codec, spec.base(), path, bound(type, Math.ceil(r.min()), r.min()), field + ".min");
        check(codec, spec.base(), path, bound(type, Math.floor(r.max()), r.max()), field + ".max");
      }
    }
    SplittableRandom rnd = new SplittableRandom(spec.seed());
    List<Map<String, JsonNode>> out = new ArrayList<>();
    for (int i = 0; i < spec.count(); i++) {
      Map<String, JsonNode> a = new LinkedHashMap<>();
      spec.random().forEach((path, draw) -> a.put(path, draw(rnd, path, draw)));
      out.add(a);
    }
    return out;
  }

  private static JsonNode bound(ConfigPaths.Type type, double integral, double value) {
    return type == ConfigPaths.Type.INTEGER
        ? LongNode.valueOf((long) integral)
        : DoubleNode.valueOf(value);
  }

  /** One value of a field: a choice, or a uniform (log-uniform) draw within the range. */
  static JsonNode draw(SplittableRandom rnd, String path, SweepSpec.Draw draw) {
    if (draw instanceof SweepSpec.Choices c) return c.values().get(rnd.nextInt(c.values().size()));
    SweepSpec.Range r = (SweepSpec.Range) draw;
    if (ConfigPaths.type(path) == ConfigPaths.Type.INTEGER) {
      long lo = (long) Math.ceil(r.min());
      long hi = (long) Math.floor(r.max());
      if (!r.log()) return LongNode.valueOf(lo + rnd.nextLong(hi - lo + 1));
      double v = Math.exp(Math.log(lo) + rnd.nextDouble() * (Math.log(hi) - Math.log(lo)));
      return LongNode.valueOf(Math.max(lo, Math.min(hi, Math.round(v))));
    }
    double u = rnd.nextDouble();
    double v =
        r.log()
            ? Math.exp(Math.log(r.min()) + u * (Math.log(r.max()) - Math.log(r.min())))
            : r.min() + u * (r.max() - r.min());
    return DoubleNode.valueOf(Math.max(r.min(), Math.min(r.max(), v)));
  }

  /** Whether one value is valid at its path on the base config; else a 400 naming it. */
  private static void check(
      EventCodec codec, ObjectNode base, String path, JsonNode value, String field) {
    ObjectNode tree = base.deepCopy();
    ConfigPaths.set(tree, path, value);
    decode(codec, tree, field, path);
  }

  /**
   * The config of {@code tree}; a problem is reported at {@code field}, with the config's own path
   * {@code path} shortened to its last segment ({@code grid.optimizer.learningRate[1]: learningRate
   * > 0 required but was -1.0}).
   */
  private static TrainingConfig decode(
      EventCodec codec, ObjectNode tree, String field, String path) {
    try {
      return codec.decodeConfig(tree);
    } catch (InvalidValueException | JsonInputException e) {
      String message = e.getMessage();
      if (!path.isEmpty() && message.startsWith(path)) {
        message = path.substring(path.lastIndexOf('.') + 1) + message.substring(path.length());
      }
      String at = path.isEmpty() ? join(field, fieldOf(e)) : field;
      throw new InvalidValueException(at, field + ": " + message);
    }
  }

  private static String fieldOf(RuntimeException e) {
    return e instanceof InvalidValueException v ? v.field() : ((JsonInputException) e).field();
  }

  private static String join(String a, String b) {
    return b == null || b.isEmpty() ? a : a + "." + b;
  }

  private static List<String> varied(SweepSpec spec) {
    List<String> varied = new ArrayList<>();
    if (spec.isGrid()) {
      spec.grid()
          .forEach(
              (path, values) -> {
                if (new HashSet<>(values).size() > 1) varied.add(path);
              });
      if (spec.repeats() > 1 && !spec.grid().containsKey("seed")) varied.add("seed");
    } else {
      spec.random()
          .forEach(
              (path, draw) -> {
                boolean varies =
                    draw instanceof SweepSpec.Choices c
                        ? new HashSet<>(c.values()).size() > 1
                        : ((SweepSpec.Range) draw).min() < ((SweepSpec.Range) draw).max();
                if (varies) varied.add(path);
              });
    }
    return varied;
  }

  /** {@code lr=0.3 batch=16}; the sweep's name and the run's number when nothing varies. */
  static String name(String sweep, int index, List<String> varied, Map<String, Object> params) {
    List<String> parts = new ArrayList<>();
    for (String path : varied) {
      String label = SHORT.getOrDefault(path, path.substring(path.lastIndexOf('.') + 1));
      Object v = params.get(path);
      String text = v instanceof Double d ? short4(d) : String.valueOf(v);
      if (path.equals("layers")) text = "[" + text + "]";
      parts.add(label + "=" + text);
    }
    String name = parts.isEmpty() ? sweep + " #" + (index + 1) : String.join(" ", parts);
    return name.length() > TrainingConfig.MAX_NAME_LENGTH
        ? name.substring(0, TrainingConfig.MAX_NAME_LENGTH)
        : name;
  }

  /** At most 4 significant digits: a name to tell runs apart, not to reproduce them. */
  private static String short4(double d) {
    if (!Double.isFinite(d) || d == 0) return Double.toString(d);
    BigDecimal b = new BigDecimal(d).round(new MathContext(4)).stripTrailingZeros();
    return b.scale() <= 8 && b.precision() - b.scale() <= 8
        ? b.toPlainString()
        : b.toString().toLowerCase();
  }
}
