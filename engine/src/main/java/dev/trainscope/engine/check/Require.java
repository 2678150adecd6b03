package dev.trainscope.engine.check;

/**
 * Validation helpers whose messages state the requirement and the value found, e.g. {@code
 * "learningRate > 0 required but was -1.0"}.
 */
public final class Require {
  private Require() {}

  public static double positive(String field, double value) {
    if (!(value > 0) || !Double.isFinite(value)) {
      throw new InvalidValueException(field, field + " > 0 required but was " + value);
    }
    return value;
  }

  public static double nonNegative(String field, double value) {
    if (!(value >= 0) || !Double.isFinite(value)) {
      throw new InvalidValueException(field, field + " >= 0 required but was " + value);
    }
    return value;
  }

  public static double finite(String field, double value) {
    if (!Double.isFinite(value)) {
      throw new InvalidValueException(field, field + " finite required but was " + value);
    }
    return value;
  }

  /** Requires {@code lo <= value < hi} (half-open: for fractions and decay rates). */
  public static double inHalfOpen(String field, double value, double lo, double hi) {
    if (!(value >= lo && value < hi)) {
      throw new InvalidValueException(
          field, field + " in [" + lo + ", " + hi + ") required but was " + value);
    }
    return value;
  }

  public static long between(String field, long value, long lo, long hi) {
    if (value < lo || value > hi) {
      throw new InvalidValueException(
          field, field + " in [" + lo + ", " + hi + "] required but was " + value);
    }
    return value;
  }

  public static int between(String field, int value, int lo, int hi) {
    return (int) between(field, (long) value, lo, hi);
  }

  public static <T> T nonNull(String field, T value) {
    if (value == null) {
      throw new InvalidValueException(field, field + " required but was null");
    }
    return value;
  }

  public static String nonBlank(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new InvalidValueException(field, field + " non-blank required but was " + quote(value));
    }
    return value;
  }

  public static String quote(String s) {
    return s == null ? "null" : '"' + s + '"';
  }
}
