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
    double apply(double z) {
      return z > 0 ? z : 0;
    }

    @Override
    double derivative(double z, double a) {
      return z > 0 ? 1 : 0;
    }
  },
  LEAKY_RELU("leaky_relu") {
    @Override
    double apply(double z) {
      return z > 0 ? z : LEAK * z;
    }

    @Override
    double derivative(double z, double a) {
      return z > 0 ? 1 : LEAK;
    }
  },
  SIGMOID("sigmoid") {
    @Override
    double apply(double z) {
      // Split on sign so exp never overflows.
      if (z >= 0) return 1 / (1 + Math.exp(-z));
      double e = Math.exp(z);
      return e / (1 + e);
    }

    @Override
    double derivative(double z, double a) {
      return a * (1 - a);
    }
  },
  TANH("tanh") {
    @Override
    double apply(double z) {
      return Math.tanh(z);
    }

    @Override
    double derivative(double z, double a) {
      return 1 - a * a;
    }
  },
  LINEAR("linear") {
    @Override
    double apply(double z) {
      return z;
    }

    @Override
    double derivative(double z, double a) {
      return 1;
    }
  },
  SOFTMAX("softmax") {
    @Override
    double apply(double z) {
      throw new UnsupportedOperationException("softmax is row-wise");
    }

    @Override
    double derivative(double z, double a) {
      throw new UnsupportedOperationException("softmax is row-wise");
    }

    @Override
    public void forward(Matrix z, Matrix a) {
      int m = z.cols;
      for (int r = 0; r < z.rows; r++) {
        int o = r * m;
        // Subtracting the row max keeps exp in range without changing the result.
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < m; j++) max = Math.max(max, z.data[o + j]);
        double sum = 0;
        for (int j = 0; j < m; j++) {
          double e = Math.exp(z.data[o + j] - max);
          a.data[o + j] = e;
          sum += e;
        }
        for (int j = 0; j < m; j++) a.data[o + j] /= sum;
      }
    }

    @Override
    public void backward(Matrix z, Matrix a, Matrix dA, Matrix dZ) {
      // Jacobian-vector product: dz_i = a_i (da_i - sum_j da_j a_j).
      int m = z.cols;
      for (int r = 0; r < z.rows; r++) {
        int o = r * m;
        double dot = 0;
        for (int j = 0; j < m; j++) dot += dA.data[o + j] * a.data[o + j];
        for (int j = 0; j < m; j++) dZ.data[o + j] = a.data[o + j] * (dA.data[o + j] - dot);
      }
    }
  };

  public static final double LEAK = 0.01;
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

  abstract double apply(double z);

  abstract double derivative(double z, double a);

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
