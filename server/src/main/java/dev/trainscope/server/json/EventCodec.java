package dev.trainscope.server.json;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainscope.engine.check.InvalidValueException;
import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.engine.event.TrainingEvent;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * The product's wire format: each {@link TrainingEvent} as one JSON object with a {@code type}
 * field and camelCase fields (null fields omitted), and {@link TrainingConfig} parsed from partial
 * JSON over the engine's defaults. Thread-safe; build one and share it.
 *
 * <p>Errors are reported as {@link JsonInputException} (malformed or mistyped JSON) or {@link
 * InvalidValueException} (a value the engine rejects), each naming the offending field by its path,
 * e.g. {@code optimizer.learningRate} or {@code layers[1].units}.
 */
public final class EventCodec {

  /** The subtypes, each named by its wire name, are registered from {@link TrainingEvent#TYPES}. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
  private interface EventMixin {
    @JsonIgnore
    boolean isTerminal();
  }

  private final ObjectMapper mapper;
  private final ObjectWriter eventWriter;
  private final ObjectReader eventReader;
  private final ObjectReader configReader;
  private final ObjectNode configDefaults;

  public EventCodec() {
    mapper =
        JsonMapper.builder()
            .addMixIn(TrainingEvent.class, EventMixin.class)
            .registerSubtypes(eventSubtypes())
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .build();
    eventWriter = mapper.writerFor(TrainingEvent.class);
    eventReader = mapper.readerFor(TrainingEvent.class);
    configReader =
        mapper
            .readerFor(TrainingConfig.class)
            .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    configDefaults = mapper.valueToTree(TrainingConfig.defaults());
    // The default name is derived from data set and layers; a config that omits it derives anew.
    configDefaults.remove("name");
  }

  private static NamedType[] eventSubtypes() {
    return TrainingEvent.recordsByType().entrySet().stream()
        .map(e -> new NamedType(e.getValue(), e.getKey()))
        .toArray(NamedType[]::new);
  }

  /** The shared Jackson mapper, for other JSON bodies (summaries, errors). */
  public ObjectMapper mapper() {
    return mapper;
  }

  /** One line of JSON, no line breaks (safe as an SSE data line and an NDJSON record). */
  public String encode(TrainingEvent event) {
    try {
      return eventWriter.writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + event.type() + " event", e);
    }
  }

  public byte[] encodeBytes(TrainingEvent event) {
    try {
      return eventWriter.writeValueAsBytes(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + event.type() + " event", e);
    }
  }

  /** Parses one event; its constructor validates it. */
  public TrainingEvent decode(String json) {
    try {
      return eventReader.readValue(json);
    } catch (IOException e) {
      throw translate(e);
    }
  }

  /** Parses an already-read JSON tree as one event. */
  public TrainingEvent decode(JsonNode node) {
    try {
      return eventReader.readValue(node);
    } catch (IOException e) {
      throw translate(e);
    }
  }

  public JsonNode toTree(Object value) {
    return mapper.valueToTree(value);
  }

  /**
   * Parses a config from JSON in which every field is optional: given fields override the defaults
   * (objects such as {@code optimizer} merge field by field; lists replace), so {@code {}} is the
   * reference network. Unknown fields are rejected.
   */
  public TrainingConfig decodeConfig(byte[] json) {
    JsonNode given;
    try {
      given = json.length == 0 ? mapper.createObjectNode() : mapper.readTree(json);
    } catch (IOException e) {
      throw translate(e);
    }
    return decodeConfig(given);
  }

  public TrainingConfig decodeConfig(JsonNode given) {
    if (given == null || given.isMissingNode() || given.isNull()) {
      given = mapper.createObjectNode();
    }
    if (!given.isObject()) {
      throw new JsonInputException(null, "a JSON object required but was " + given.getNodeType());
    }
    ObjectNode merged = configDefaults.deepCopy();
    merge(merged, (ObjectNode) given);
    try {
      return configReader.readValue(merged);
    } catch (IOException e) {
      throw translate(e);
    }
  }

  public String encodeConfig(TrainingConfig config) {
    try {
      return mapper.writeValueAsString(config);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void merge(ObjectNode target, ObjectNode overrides) {
    Iterator<Map.Entry<String, JsonNode>> fields = overrides.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      JsonNode existing = target.get(f.getKey());
      if (existing instanceof ObjectNode o && f.getValue() instanceof ObjectNode v) {
        merge(o, v);
      } else {
        target.set(f.getKey(), f.getValue());
      }
    }
  }

  /** Turns a Jackson failure into an error naming the field (by path) and what was wrong. */
  static RuntimeException translate(IOException e) {
    if (e instanceof JsonMappingException m) {
      String path = path(m);
      Throwable cause = m.getCause();
      if (cause instanceof InvalidValueException invalid) {
        String field = join(path, invalid.field());
        String message = invalid.getMessage();
        if (invalid.field() != null && message.startsWith(invalid.field()) && !path.isEmpty()) {
          message = field + message.substring(invalid.field().length());
        }
        return new InvalidValueException(field, message);
      }
      if (cause instanceof IllegalArgumentException iae) {
        return new InvalidValueException(
            path, (path.isEmpty() ? "" : path + ": ") + iae.getMessage());
      }
      if (m instanceof UnrecognizedPropertyException u) {
        String field =
            join(
                path.replaceAll(
                    "\\.?" + java.util.regex.Pattern.quote(u.getPropertyName()) + "$", ""),
                u.getPropertyName());
        return new JsonInputException(field, "unknown field \"" + field + "\"");
      }
      if (m instanceof InvalidTypeIdException t) {
        return new JsonInputException(
            "type",
            "type one of " + TrainingEvent.TYPES + " required but was " + quoted(t.getTypeId()));
      }
      String prefix = path.isEmpty() ? "" : path + ": ";
      if (m instanceof MismatchedInputException mi && mi.getTargetType() != null) {
        String found =
            mi instanceof InvalidFormatException f
                ? " but was " + quoted(String.valueOf(f.getValue()))
                : "";
        return new JsonInputException(
            path.isEmpty() ? null : path,
            prefix + describe(mi.getTargetType()) + " required" + found);
      }
      String what = m.getOriginalMessage();
      int nl = what.indexOf('\n');
      if (nl > 0) what = what.substring(0, nl);
      return new JsonInputException(path.isEmpty() ? null : path, prefix + what);
    }
    if (e instanceof JsonProcessingException p) {
      return new JsonInputException(null, malformed(p, 0));
    }
    return new JsonInputException(null, "unreadable JSON: " + e.getMessage());
  }

  /**
   * "malformed JSON at line L, column C: what" for a parse error; {@code linesBefore} shifts the
   * line when the text parsed was one line of a larger body (NDJSON).
   */
  public static String malformed(JsonProcessingException p, int linesBefore) {
    JsonLocation loc = p.getLocation();
    String where =
        loc == null || loc.getLineNr() < 1
            ? ""
            : " at line " + (loc.getLineNr() + linesBefore) + ", column " + loc.getColumnNr();
    String what = p.getOriginalMessage();
    if (what == null) what = "";
    int nl = what.indexOf('\n');
    if (nl > 0) what = what.substring(0, nl);
    return "malformed JSON" + where + ": " + what;
  }

  private static String describe(Class<?> type) {
    if (type == int.class || type == long.class || type == Integer.class || type == Long.class) {
      return "an integer";
    }
    if (type == double.class || type == Double.class || type == float.class) return "a number";
    if (type == boolean.class || type == Boolean.class) return "true or false";
    if (type == String.class) return "a string";
    if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) return "an array";
    return "an object";
  }

  private static String path(JsonMappingException m) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : m.getPath()) {
      if (r.getFieldName() != null) {
        if (sb.length() > 0) sb.append('.');
        sb.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static String join(String path, String field) {
    if (path == null || path.isEmpty()) return field;
    if (field == null || field.isEmpty()) return path;
    return path + "." + field;
  }

  private static String quoted(String s) {
    return s == null ? "null" : "\"" + s + "\"";
  }
}
