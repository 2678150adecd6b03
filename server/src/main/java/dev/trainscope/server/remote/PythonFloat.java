package dev.trainscope.server.remote;

import com.fasterxml.jackson.core.io.NumberOutput;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Formats doubles as Python's {@code repr(float)} does, which is what Keras' CSVLogger writes: the
 * shortest decimal that round-trips (Schubfach, from jackson-core), fixed notation for decimal
 * exponents in [-4, 16), otherwise {@code 1.5e-05} style; {@code nan}, {@code inf}, {@code -inf}.
 */
public final class PythonFloat {
  private PythonFloat() {}

  public static String repr(double v) {
    if (Double.isNaN(v)) return "nan";
    if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
    if (v == 0) return (1 / v < 0) ? "-0.0" : "0.0";
    BigDecimal shortest = new BigDecimal(NumberOutput.toString(v, true)).stripTrailingZeros();
    // Schubfach keeps Java's "4.9E-324" for the smallest subnormal, where Python prints 5e-324:
    // check that no shorter rounding of the exact value reads back as the same double.
    BigDecimal exact = new BigDecimal(v);
    for (int n = 1; n < shortest.precision(); n++) {
      BigDecimal candidate = exact.round(new MathContext(n, RoundingMode.HALF_EVEN));
      if (candidate.doubleValue() == v) {
        shortest = candidate.stripTrailingZeros();
        break;
      }
    }
    String digits = shortest.unscaledValue().abs().toString();
    int exponent = digits.length() - 1 - shortest.scale(); // v = d.ddd x 10^exponent
    StringBuilder sb = new StringBuilder(v < 0 ? "-" : "");
    if (exponent >= -4 && exponent < 16) {
      if (exponent >= 0) {
        if (digits.length() <= exponent + 1) {
          sb.append(digits).append("0".repeat(exponent + 1 - digits.length())).append(".0");
        } else {
          sb.append(digits, 0, exponent + 1).append('.').append(digits.substring(exponent + 1));
        }
      } else {
        sb.append("0.").append("0".repeat(-exponent - 1)).append(digits);
      }
    } else {
      sb.append(digits.charAt(0));
      if (digits.length() > 1) sb.append('.').append(digits.substring(1));
      sb.append('e').append(exponent < 0 ? '-' : '+');
      int e = Math.abs(exponent);
      if (e < 10) sb.append('0');
      sb.append(e);
    }
    return sb.toString();
  }
}
