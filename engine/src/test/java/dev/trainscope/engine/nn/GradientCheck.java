package dev.trainscope.engine.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.function.DoubleSupplier;

/** Central finite differences: dL/dp ~ (L(p + h) - L(p - h)) / 2h, compared by relative error. */
final class GradientCheck {
  static final double H = 1e-5;
  static final double MAX_RELATIVE_ERROR = 1e-6;

  private GradientCheck() {}

  /** The numerical derivative of {@code loss} with respect to {@code values[i]}. */
  static double numerical(double[] values, int i, DoubleSupplier loss) {
    double saved = values[i];
    values[i] = saved + H;
    double plus = loss.getAsDouble();
    values[i] = saved - H;
    double minus = loss.getAsDouble();
    values[i] = saved;
    return (plus - minus) / (2 * H);
  }

  static double relativeError(double analytic, double numerical) {
    return Math.abs(analytic - numerical)
        / Math.max(1e-8, Math.abs(analytic) + Math.abs(numerical));
  }

  /** Checks every entry of {@code analytic} against the numerical gradient over {@code values}. */
  static void check(String what, double[] values, double[] analytic, DoubleSupplier loss) {
    assertThat(analytic).hasSameSizeAs(values);
    boolean anyNonZero = false;
    for (int i = 0; i < values.length; i++) {
      double n = numerical(values, i, loss);
      anyNonZero |= Math.abs(n) > 1e-6;
      assertThat(relativeError(analytic[i], n))
          .as("%s[%d]: analytic %s, numerical %s", what, i, analytic[i], n)
          .isLessThan(MAX_RELATIVE_ERROR);
    }
    // A check of an all-zero gradient against an all-zero gradient proves nothing.
    assertThat(anyNonZero).as("%s has a non-zero gradient", what).isTrue();
  }

  /** Uniform values in [-scale, scale] kept at least {@code gap} away from 0 (ReLU kinks). */
  static Matrix random(Random r, int rows, int cols, double scale, double gap) {
    Matrix m = new Matrix(rows, cols);
    for (int i = 0; i < m.data.length; i++) {
      double v = gap + r.nextDouble() * (scale - gap);
      m.data[i] = r.nextBoolean() ? v : -v;
    }
    return m;
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  }
}
