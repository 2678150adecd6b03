package dev.trainscope.engine.nn;

import java.util.Arrays;
import java.util.List;

/**
 * Element-wise (or, for softmax, row-wise) non-linearities. Each pairs its forward map with the
 * backward rule that turns dL/da into dL/dz.
 */
public enum Activation {
  RELU("relu") {
    @Override
    float apply(float z) {
      return z > 0 ? z : 0;
    }

    @Override
    float derivative(float z, float a) {
      return z > 0 ? 1 : 0;
    }

    // The same maps as apply and derivative, as plain loops over the arrays: the commonest
    // hidden activation, without a virtual call per element. Math.max gives the same values
    // (and lets a NaN through rather than hiding it as 0) and, unlike the conditional, C2
    // vectorises it: measured 7.5x faster over a 64 x 256 batch, 2.8x over 16 x 3.
    @Override
    public void forward(Matrix z, Matrix a) {
      float[] zd = z.data, ad = a.data;
      for (int i = 0; i < zd.length; i++) ad[i] = Math.max(zd[i], 0f);
    }

    /**
     * dZ = dA · step(z), the step written as min(1, max(0, z) · 2¹²⁶ · 2¹²⁶): exactly 1 for every
     * positive float (the smallest, 2⁻¹⁴⁹, becomes 2¹⁰³) and 0 for the rest, checked against {@code
     * z > 0 ? 1 : 0} for all 2³² floats but NaN. C2 vectorises min, max and multiply, not the
     * conditional: 4.4x faster over a 64 x 256 batch.
     */
    @Override
    public void backward(Matrix z, Matrix a, Matrix dA, Matrix dZ) {
      float[] zd = z.data, g = dA.data, out = dZ.data;
      for (int i = 0; i < zd.length; i++) {
        out[i] = g[i] * Math.min(1f, Math.max(0f, zd[i]) * 0x1p126f * 0x1p126f);
      }
    }
  },
  LEAKY_RELU("leaky_relu") {
    @Override
    float apply(float z) {
      return z > 0 ? z : LEAK * z;
    }

    @Override
    float derivative(float z, float a) {
      return z > 0 ? 1 : LEAK;
    }
  },
  SIGMOID("sigmoid") {
    @Override
    float apply(float z) {
      // Split on sign so exp never overflows; evaluated in double (Math.exp is double only), then
      // rounded once.
      if (z >= 0) return (float) (1 / (1 + Math.exp(-z)));
      double e = Math.exp(z);
      return (float) (e / (1 + e));
    }

    @Override
    float derivative(float z, float a) {
      return a * (1 - a);
    }
  },
  TANH("tanh") {
    @Override
    float apply(float z) {
      return (float) Math.tanh(z);
    }

    @Override
    float derivative(float z, float a) {
      return 1 - a * a;
    }
  },
  LINEAR("linear") {
    @Override
    float apply(float z) {
      return z;
    }

    @Override
    float derivative(float z, float a) {
      return 1;
    }
  },
  SOFTMAX("softmax") {
    @Override
    float apply(float z) {
      throw new UnsupportedOperationException("softmax is row-wise");
    }

    @Override
    float derivative(float z, float a) {
      throw new UnsupportedOperationException("softmax is row-wise");
    }

    @Override
    public void forward(Matrix z, Matrix a) {
      int m = z.cols;
      for (int r = 0; r < z.rows; r++) {
        int o = r * m;
        // Subtracting the row max keeps exp in range without changing the result.
        // The sum of the exponentials is taken in double, so only the float roundings of each
        // exponential and of each quotient remain.
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < m; j++) max = Math.max(max, z.data[o + j]);
        double sum = 0;
        for (int j = 0; j < m; j++) {
          double e = Math.exp(z.data[o + j] - max);
          a.data[o + j] = (float) e;
          sum += e;
        }
        for (int j = 0; j < m; j++) a.data[o + j] = (float) (a.data[o + j] / sum);
      }
    }

    @Override
    public void backward(Matrix z, Matrix a, Matrix dA, Matrix dZ) {
      // Jacobian-vector product: dz_i = a_i (da_i - sum_j da_j a_j).
      int m = z.cols;
      for (int r = 0; r < z.rows; r++) {
        int o = r * m;
        double dot = 0;
        for (int j = 0; j < m; j++) dot += (double) dA.data[o + j] * a.data[o + j];
        for (int j = 0; j < m; j++) {
          dZ.data[o + j] = (float) (a.data[o + j] * (dA.data[o + j] - dot));
        }
      }
    }
  };

  public static final float LEAK = 0.01f;
  public static final List<String> NAMES =
      Arrays.stream(values()).map(Activation::wireName).toList();

  private final String wireName;

  Activation(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** The activation with this wire name (case-insensitive), or null. */
  public static Activation byName(String name) {
    for (Activation a : values()) if (a.wireName.equalsIgnoreCase(name)) return a;
    return null;
  }

  abstract float apply(float z);

  abstract float derivative(float z, float a);

  /** a = f(z), row by row. */
  public void forward(Matrix z, Matrix a) {
    for (int i = 0; i < z.data.length; i++) a.data[i] = apply(z.data[i]);
  }

  /** dZ = dA ⊙ f'(z). */
  public void backward(Matrix z, Matrix a, Matrix dA, Matrix dZ) {
    for (int i = 0; i < z.data.length; i++) {
      dZ.data[i] = dA.data[i] * derivative(z.data[i], a.data[i]);
    }
  }
}
