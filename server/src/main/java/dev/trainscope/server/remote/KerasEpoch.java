package dev.trainscope.server.remote;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.trainscope.engine.check.InvalidValueException;
import dev.trainscope.engine.event.TrainingEvent.Epoch;
import dev.trainscope.server.json.EventCodec;
import dev.trainscope.server.json.JsonInputException;
import dev.trainscope.server.json.Utf8;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What Keras' {@code RemoteMonitor} sends at each epoch end, read as an {@code epoch} event.
 * RemoteMonitor posts {@code {"epoch": <0-based>, ...logs}} either form-encoded in one field
 * ({@code data} by default) or, with {@code send_as_json=True}, as the JSON body. Python's {@code
 * json.dumps} writes non-finite floats as bare {@code NaN} / {@code Infinity}, which are accepted
 * here: they stay in {@code metrics} (written as the strings "NaN", "Infinity") and leave the
 * standard fields null, and {@link #nonFinite()} names them so the caller can flag them.
 */
public record KerasEpoch(int epoch, Map<String, Double> metrics, List<String> nonFinite) {

  private static final ObjectMapper LENIENT =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  /** Parses a RemoteMonitor body: form-encoded ({@code field=<json>}) or a JSON object. */
  public static KerasEpoch parse(byte[] body, String contentType, String field) {
    String text = Utf8.decode(body, null, "the request body");
    String json = text;
    boolean form =
        contentType != null
            && contentType.toLowerCase().startsWith("application/x-www-form-urlencoded");
    if (form) {
      json = null;
      for (String pair : text.split("&")) {
        int eq = pair.indexOf('=');
        String name = formDecode(eq < 0 ? pair : pair.substring(0, eq), null);
        if (name.equals(field)) {
          json = eq < 0 ? "" : formDecode(pair.substring(eq + 1), field);
        }
      }
      if (json == null) {
        throw new JsonInputException(
            field, "a form field \"" + field + "\" holding the epoch's JSON required");
      }
    }
    JsonNode node;
    try {
      node = LENIENT.readTree(json);
    } catch (JsonProcessingException e) {
      throw new JsonInputException(
          form ? field : null, "the Keras epoch: " + EventCodec.malformed(e, 0));
    } catch (IOException e) {
      throw new JsonInputException(
          form ? field : null, "malformed JSON in the Keras epoch: " + firstLine(e.getMessage()));
    }
    return of(node);
  }

  /**
   * A form component: {@code +} is a space, {@code %XX} a byte, and the bytes must be UTF-8 (a 400
   * naming the offset in the decoded value, not U+FFFD as {@code URLDecoder} would store).
   */
  static String formDecode(String s, String field) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '+') {
        bytes.write(' ');
      } else if (c == '%') {
        int hi = i + 1 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
        int lo = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
        if (hi < 0 || lo < 0) {
          throw new JsonInputException(
              field,
              (field == null ? "a form field name" : "form field " + field)
                  + ": percent escapes %XX with two hex digits required");
        }
        bytes.write(hi * 16 + lo);
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(b, 0, b.length);
      }
    }
    return Utf8.decode(
        bytes.toByteArray(), field, field == null ? "a form field name" : "its decoded value");
  }

  /** Reads {@code {"epoch": n, "loss": .., ...}}. */
  public static KerasEpoch of(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new JsonInputException(null, "a JSON object with an \"epoch\" required");
    }
    JsonNode e = node.get("epoch");
    if (e == null || !e.canConvertToInt() || !e.isIntegralNumber() || e.asInt() < 0) {
      throw new InvalidValueException(
          "epoch", "epoch a non-negative integer required but was " + (e == null ? "missing" : e));
    }
    Map<String, Double> metrics = new LinkedHashMap<>();
    List<String> nonFinite = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      if (f.getKey().equals("epoch")) continue;
      Double v = number(f.getValue());
      if (v == null) continue; // RemoteMonitor forwards whatever is in logs; keep the numbers
      metrics.put(f.getKey(), v);
      if (!Double.isFinite(v)) nonFinite.add(f.getKey());
    }
    return new KerasEpoch(e.asInt(), metrics, nonFinite);
  }

  /** The event: epoch 1-based, Keras' names mapped to ours, every metric kept under metrics. */
  public Epoch toEvent(String runId, long seq, long time) {
    return MetricNames.epoch(runId, seq, time, epoch + 1, metrics);
  }

  private static Double number(JsonNode v) {
    if (v.isNumber()) return v.asDouble();
    if (v.isTextual()) {
      String s = v.asText().strip();
      switch (s) {
        case "NaN", "nan" -> {
          return Double.NaN;
        }
        case "Infinity", "inf" -> {
          return Double.POSITIVE_INFINITY;
        }
        case "-Infinity", "-inf" -> {
          return Double.NEGATIVE_INFINITY;
        }
        default -> {
          try {
            return Double.parseDouble(s);
          } catch (NumberFormatException ex) {
            return null;
          }
        }
      }
    }
    return null;
  }

  private static String firstLine(String s) {
    if (s == null) return "";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
