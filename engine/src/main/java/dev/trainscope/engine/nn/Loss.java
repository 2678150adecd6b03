package dev.trainscope.engine.nn;

/**
 * A loss over a batch of outputs and integer class labels, averaged over the batch. Values are
 * accumulated in double (a sum over a batch would lose digits in float); gradients are float32 like
 * every array of the network.
 */
public enum Loss {
  /**
   * Categorical cross-entropy -log p(label). Paired with a softmax output its gradient with respect
   * to the logits is simply (p - onehot) / n, which {@link Network} uses directly: it is exact and
   * stays finite even when a probability underflows to zero.
   */
  CROSS_ENTROPY("cross_entropy") {
    @Override
    public double value(Matrix out, int[] labels) {
      double sum = 0;
      for (int r = 0; r < out.rows; r++) {
        sum -= Math.log(Math.max(out.get(r, labels[r]), MIN_PROBABILITY));
      }
      return sum / out.rows;
    }

    @Override
    public void gradient(Matrix out, int[] labels, Matrix dOut) {
      java.util.Arrays.fill(dOut.data, 0);
      for (int r = 0; r < out.rows; r++) {
        double p = Math.max(out.get(r, labels[r]), MIN_PROBABILITY);
        dOut.set(r, labels[r], (float) (-1 / (p * out.rows)));
      }
    }
  },
  /** Mean squared error against one-hot targets, averaged over samples and outputs. */
  MSE("mse") {
    @Override
    public double value(Matrix out, int[] labels) {
      double sum = 0;
      for (int r = 0; r < out.rows; r++) {
        for (int c = 0; c < out.cols; c++) {
          double d = out.get(r, c) - (c == labels[r] ? 1 : 0);
          sum += d * d;
        }
      }
      return sum / out.data.length;
    }

    @Override
    public void gradient(Matrix out, int[] labels, Matrix dOut) {
      double scale = 2.0 / out.data.length;
      for (int r = 0; r < out.rows; r++) {
        for (int c = 0; c < out.cols; c++) {
          dOut.set(r, c, (float) (scale * (out.get(r, c) - (c == labels[r] ? 1 : 0))));
        }
      }
    }
  };

  /** Probabilities are clamped here so a confident mistake costs about 34.5, not infinity. */
  public static final double MIN_PROBABILITY = 1e-15;

  private final String wireName;

  Loss(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Loss byName(String name) {
    for (Loss l : values()) if (l.wireName.equalsIgnoreCase(name)) return l;
    throw new IllegalArgumentException("loss one of cross_entropy, mse required but was " + name);
  }

  /** Mean loss of the batch, accumulated in double from the float outputs. */
  public abstract double value(Matrix out, int[] labels);

  /** dL/dOut for the mean loss. */
  public abstract void gradient(Matrix out, int[] labels, Matrix dOut);
}
