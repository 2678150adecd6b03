package dev.trainscope.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainscope.server.json.JsonInputException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code params} an external run's trainer sends when creating it: its hyperparameters, flat,
 * string, number or boolean values only, at most {@link #MAX_ENTRIES} of them, keys at most {@link
 * #MAX_KEY_LENGTH} characters.
 */
final class ExternalParams {
  static final int MAX_ENTRIES = 100;
  static final int MAX_KEY_LENGTH = 250;

  private ExternalParams() {}

  static Map<String, Object> parse(JsonNode node) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (node == null || node.isNull()) return out;
    if (!node.isObject()) {
      throw new JsonInputException(
          "params", "params: an object of name -> value required but was " + node.getNodeType());
    }
    if (node.size() > MAX_ENTRIES) {
      throw new JsonInputException(
          "params", "params: at most " + MAX_ENTRIES + " entries required but was " + node.size());
    }
    var fields = node.fields();
    while (fields.hasNext()) {
      var f = fields.next();
      String key = f.getKey();
      if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
        String shown = key.length() > 40 ? key.substring(0, 40) + "..." : key;
        throw new JsonInputException(
            "params",
            "params: keys of 1 to "
                + MAX_KEY_LENGTH
                + " characters required but \""
                + shown
                + "\" has "
                + key.length());
      }
      JsonNode v = f.getValue();
      String field = "params." + key;
      if (v.isTextual()) out.put(key, v.asText());
      else if (v.isBoolean()) out.put(key, v.asBoolean());
      else if (v.isIntegralNumber() && v.canConvertToLong()) out.put(key, v.asLong());
      else if (v.isNumber() && Double.isFinite(v.asDouble())) out.put(key, v.asDouble());
      else {
        throw new JsonInputException(
            field, field + ": a string, number or boolean required but was " + v.getNodeType());
      }
    }
    return out;
  }
}
