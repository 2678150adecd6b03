package dev.trainscope.engine.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.function.DoubleSupplier;

/**
 * Central finite differences: dL/dp ~ (L(p + h) - L(p - h)) / 2h, in float32 like the network.
 *
 * <p>A float carries about 7 significant digits, so the step cannot be as small as in double: the
 * loss of a forward pass is only known to about 1e-7 relative, and dividing that noise by 2h = 6e-3
 * leaves about 5e-5. The step h = 3e-3 keeps the truncation error (order h² = 1e-5) below that and
 * still moves every pre-activation of the tests by less than 0.01, the distance they keep from the
 * ReLU kink. A gradient therefore passes when it agrees to 0.5 % of its size, or to 2e-4 absolute
 * for a near-zero one: a wrong term, factor or sign is far outside both.
 */
final class GradientCheck {
  static final float H = 3e-3f;
  static final double RELATIVE_TOLERANCE = 5e-3;
  static final double ABSOLUTE_TOLERANCE = 2e-4;

  private GradientCheck() {}

  /** The numerical derivative of {@code loss} with respect to {@code values[i]}. */
  static double numerical(float[] values, int i, DoubleSupplier loss) {
    float saved = values[i];
    values[i] = saved + H;
    double plus = loss.getAsDouble();
    float up = values[i];
    values[i] = saved - H;
    double minus = loss.getAsDouble();
    float down = values[i];
    values[i] = saved;
    // Divide by the step actually taken: saved ± H is rounded to the nearest float.
    return (plus - minus) / ((double) up - down);
  }

  /** Whether an analytic gradient agrees with a numerical one within the float32 tolerances. */
  static boolean agrees(double analytic, double numerical) {
    double scale = Math.max(Math.abs(analytic), Math.abs(numerical));
    return Math.abs(analytic - numerical) <= RELATIVE_TOLERANCE * scale + ABSOLUTE_TOLERANCE;
  }

  /** Checks every entry of {@code analytic} against the numerical gradient over {@code values}. */
  static void check(String what, float[] values, float[] analytic, DoubleSupplier loss) {
    assertThat(analytic).hasSameSizeAs(values);
    boolean anyNonZero = false;
    for (int i = 0; i < values.length; i++) {
      double n = numerical(values, i, loss);
      anyNonZero |= Math.abs(n) > 1e-3;
      assertThat(agrees(analytic[i], n))
          .as("%s[%d]: analytic %s, numerical %s", what, i, analytic[i], n)
          .isTrue();
    }
    // A check of an all-zero gradient against an all-zero gradient proves nothing.
    assertThat(anyNonZero).as("%s has a non-zero gradient", what).isTrue();
  }

  /** Uniform values in [-scale, scale] kept at least {@code gap} away from 0 (ReLU kinks). */
  static Matrix random(Random r, int rows, int cols, double scale, double gap) {
    Matrix m = new Matrix(rows, cols);
    for (int i = 0; i < m.data.length; i++) {
      double v = gap + r.nextDouble() * (scale - gap);
      m.data[i] = (float) (r.nextBoolean() ? v : -v);
    }
    return m;
  }

  /** Σ a·b, accumulated in double. */
  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
    return s;
  }
}
