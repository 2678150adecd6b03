package dev.trainscope.server.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainscope.engine.check.InvalidValueException;
import dev.trainscope.engine.event.TrainingEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Events an external trainer pushes, in the product's event format: read from a body (one object,
 * an array, or NDJSON), completed ({@code runId}, {@code seq}, {@code time} when missing) and
 * validated as a whole batch. Errors name the event by its index in the batch: {@code
 * events[3].loss}. Pure and thread-safe.
 */
public final class PushedEvents {
  /**
   * Types only the server writes: {@code run-started} opens the log when the run is created (with
   * the model the creator gave), and {@code status} records the server's own state changes (a
   * trainer ends its run with {@code run-completed} or {@code run-failed}); {@code weights-edited}
   * records a hand edit the engine applied, which an external trainer cannot take.
   */
  static final Set<String> SERVER_WRITTEN =
      Set.of(
          TrainingEvent.RunStarted.TYPE,
          TrainingEvent.Status.TYPE,
          dev.trainscope.engine.event.WeightsEdited.TYPE);

  /** Types a trainer may push: every type but {@link #SERVER_WRITTEN}, in the types' order. */
  static final Set<String> PUSHABLE = pushable();

  private static Set<String> pushable() {
    Set<String> types = new LinkedHashSet<>(TrainingEvent.TYPES);
    types.removeAll(SERVER_WRITTEN);
    return Collections.unmodifiableSet(types);
  }

  /** Bare NaN / Infinity are read (as Python writes them) so that the event's field is named. */
  private static final ObjectMapper LENIENT =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  private PushedEvents() {}

  /** True for {@code application/x-ndjson} (also {@code jsonl} / {@code json-seq} variants). */
  public static boolean isNdjson(String contentType) {
    if (contentType == null) return false;
    String t = contentType.toLowerCase(java.util.Locale.ROOT);
    return t.startsWith("application/x-ndjson")
        || t.startsWith("application/ndjson")
        || t.startsWith("application/jsonl")
        || t.startsWith("application/x-jsonlines");
  }

  /**
   * The JSON objects of a body: one object, an array of objects, or NDJSON (blank lines skipped).
   */
  public static List<JsonNode> parse(byte[] body, String contentType) {
    List<JsonNode> nodes = new ArrayList<>();
    String text = Utf8.decode(body, null, "the request body");
    if (isNdjson(contentType)) {
      String[] lines = text.split("\n");
      for (int i = 0; i < lines.length; i++) {
        if (lines[i].isBlank()) continue;
        nodes.add(read(lines[i], "events[" + nodes.size() + "]", i));
      }
    } else {
      JsonNode root = read(text, null, 0);
      if (root.isArray()) {
        root.forEach(nodes::add);
      } else if (root.isObject()) {
        nodes.add(root);
      } else {
        throw new JsonInputException(
            null,
            "an event object, an array of events or NDJSON required but was " + root.getNodeType());
      }
    }
    if (nodes.isEmpty()) throw new JsonInputException(null, "no events in the body");
    return nodes;
  }

  /** One JSON value; {@code linesBefore}: the lines of the body before {@code text} (NDJSON). */
  private static JsonNode read(String text, String field, int linesBefore) {
    if (text.isBlank()) throw new JsonInputException(field, "no events in the body");
    try {
      return LENIENT.readTree(text);
    } catch (JsonProcessingException e) {
      throw new JsonInputException(
          field, (field == null ? "" : field + ": ") + EventCodec.malformed(e, linesBefore));
    } catch (IOException e) {
      throw new JsonInputException(field, (field == null ? "" : field + ": ") + e.getMessage());
    }
  }

  /**
   * The events of a batch for run {@code runId} whose log holds {@code base} events: each gets the
   * run's id, seq {@code base + i} and time {@code now} when missing (given ones must match), is
   * decoded and validated by its record, and only {@link #PUSHABLE} types pass; nothing may follow
   * a terminal event.
   *
   * <p>Bookkeeping fields a trainer may leave out get defaults: {@code epoch}: {@code epochs} 0
   * (unknown), {@code durationMs} 0; {@code batch}: {@code batches} 0; {@code run-completed}:
   * {@code epochs} the last epoch pushed ({@code lastEpoch} before this batch), {@code durationMs}
   * 0, {@code stopped} false; {@code run-failed}: {@code epoch} the last epoch, {@code code} {@code
   * "external-failure"}.
   *
   * @throws InvalidValueException or {@link JsonInputException} naming {@code events[i].field}
   */
  public static List<TrainingEvent> decode(
      EventCodec codec, String runId, long base, long now, int lastEpoch, List<JsonNode> nodes) {
    List<TrainingEvent> events = new ArrayList<>(nodes.size());
    for (int i = 0; i < nodes.size(); i++) {
      String at = "events[" + i + "]";
      JsonNode node = nodes.get(i);
      if (!(node instanceof ObjectNode given)) {
        throw new JsonInputException(
            at, at + ": an event object required but was " + node.getNodeType());
      }
      if (!events.isEmpty() && events.get(events.size() - 1).isTerminal()) {
        throw new InvalidValueException(
            at, at + ": no event may follow " + events.get(events.size() - 1).type());
      }
      ObjectNode o = given.deepCopy();
      JsonNode type = o.get("type");
      if (type == null || !type.isTextual()) {
        throw new JsonInputException(
            at + ".type", at + ".type: a string required, one of " + PUSHABLE);
      }
      if (!PUSHABLE.contains(type.asText())) {
        String why =
            TrainingEvent.TYPES.contains(type.asText())
                ? " is written by the server and cannot be pushed"
                : " is not an event type";
        throw new JsonInputException(
            at + ".type",
            at
                + ".type: \""
                + type.asText()
                + "\""
                + why
                + "; one of "
                + new java.util.TreeSet<>(PUSHABLE));
      }
      long seq = base + i;
      JsonNode id = o.get("runId");
      if (id == null || id.isNull()) {
        o.put("runId", runId);
      } else if (!id.isTextual() || !id.asText().equals(runId)) {
        throw new InvalidValueException(
            at + ".runId", at + ".runId: \"" + runId + "\" (this run) required but was " + id);
      }
      JsonNode s = o.get("seq");
      if (s == null || s.isNull()) {
        o.put("seq", seq);
      } else if (!s.isIntegralNumber() || s.asLong() != seq) {
        throw new InvalidValueException(
            at + ".seq", at + ".seq: " + seq + " (the run's next) required but was " + s);
      }
      JsonNode t = o.get("time");
      if (t == null || t.isNull()) o.put("time", now);
      switch (type.asText()) {
        case TrainingEvent.Epoch.TYPE -> {
          fill(o, "epochs", 0);
          fill(o, "durationMs", 0);
        }
        case TrainingEvent.Batch.TYPE -> fill(o, "batches", 0);
        case TrainingEvent.RunCompleted.TYPE -> {
          fill(o, "epochs", lastEpoch);
          fill(o, "durationMs", 0);
          if (!o.hasNonNull("stopped")) o.put("stopped", false);
        }
        case TrainingEvent.RunFailed.TYPE -> {
          fill(o, "epoch", lastEpoch);
          if (!o.hasNonNull("code")) o.put("code", TrainingEvent.RunFailed.EXTERNAL_FAILURE);
        }
        default -> {}
      }
      try {
        TrainingEvent event = codec.decode(o);
        if (event instanceof TrainingEvent.Epoch e) lastEpoch = Math.max(lastEpoch, e.epoch());
        events.add(event);
      } catch (InvalidValueException e) {
        String field = under(at, e.field());
        throw new InvalidValueException(
            field, field + ": " + withoutField(e.getMessage(), e.field()));
      } catch (JsonInputException e) {
        String field = under(at, e.field());
        throw new JsonInputException(field, field + ": " + withoutField(e.getMessage(), e.field()));
      }
    }
    return events;
  }

  private static void fill(ObjectNode o, String field, long value) {
    if (!o.hasNonNull(field)) o.put(field, value);
  }

  /** "loss finite required" -> "finite required"; "loss: a number" -> "a number". */
  private static String withoutField(String message, String field) {
    if (message == null) return "invalid";
    if (field == null || field.isEmpty() || !message.startsWith(field)) return message;
    String rest = message.substring(field.length());
    if (rest.startsWith(":")) rest = rest.substring(1);
    return rest.isBlank() ? message : rest.strip();
  }

  private static String under(String at, String field) {
    return field == null || field.isEmpty() ? at : at + "." + field;
  }
}
