package dev.trainscope.server.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * MLflow's JSON as protobuf's JSON mapping writes it: doubles that are not finite as the strings
 * {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}; int64 as numbers (MLflow's client sends
 * them so) or decimal strings (proto3's own mapping), both accepted.
 */
public final class MlflowValues {
  private MlflowValues() {}

  /** A double field: a number, or one of protobuf's strings for the non-finite values. */
  public static double number(JsonNode node, String field) {
    if (node != null && node.isNumber()) return node.asDouble();
    if (node != null && node.isTextual()) {
      switch (node.asText()) {
        case "NaN":
          return Double.NaN;
        case "Infinity":
          return Double.POSITIVE_INFINITY;
        case "-Infinity":
          return Double.NEGATIVE_INFINITY;
        default:
          try {
            return Double.parseDouble(node.asText());
          } catch (NumberFormatException e) {
            // below
          }
      }
    }
    throw MlflowException.invalid(
        "Missing value for required parameter '" + field + "'" + butWas(node));
  }

  /** An int64 field, or {@code absent} when missing. */
  public static long int64(JsonNode node, String field, long absent) {
    if (node == null || node.isNull() || node.isMissingNode()) return absent;
    if (node.isIntegralNumber()) return node.asLong();
    if (node.isTextual()) {
      try {
        return Long.parseLong(node.asText().strip());
      } catch (NumberFormatException e) {
        // below
      }
    }
    throw MlflowException.invalid(
        "Invalid value " + node + " for parameter '" + field + "' supplied: an integer required");
  }

  /** A required string field. */
  public static String string(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull() || (n.isTextual() && n.asText().isEmpty())) {
      throw MlflowException.invalid("Missing value for required parameter '" + field + "'.");
    }
    if (!n.isValueNode()) {
      throw MlflowException.invalid(
          "Invalid value " + n + " for parameter '" + field + "' supplied: a string required");
    }
    return n.asText();
  }

  /** An optional string field, or null. */
  public static String optional(JsonNode body, String field) {
    JsonNode n = body.get(field);
    return n == null || n.isNull() || !n.isValueNode() ? null : n.asText();
  }

  /** The run a request names: {@code run_id}, else the older {@code run_uuid}. */
  public static String runId(JsonNode body) {
    String id = optional(body, "run_id");
    if (id == null || id.isEmpty()) id = optional(body, "run_uuid");
    if (id == null || id.isEmpty()) {
      throw MlflowException.invalid("Missing value for required parameter 'run_id'.");
    }
    return id;
  }

  /** Writes a double as protobuf's JSON does. */
  public static void put(ObjectNode node, String field, double v) {
    if (Double.isNaN(v)) node.put(field, "NaN");
    else if (v == Double.POSITIVE_INFINITY) node.put(field, "Infinity");
    else if (v == Double.NEGATIVE_INFINITY) node.put(field, "-Infinity");
    else node.put(field, v);
  }

  private static String butWas(JsonNode node) {
    return node == null || node.isNull() ? "." : ": a number required but was " + node;
  }
}
