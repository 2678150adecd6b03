package dev.trainscope.engine.nn;

import dev.trainscope.engine.config.OptimizerConfig;

/**
 * Applies one step to a parameter from its gradient. L2 weight decay is added to the gradient
 * (coupled), as in classic SGD. Returns the squared norm of the step, for update-to-weight ratios.
 */
public final class Optimizer {
  private final OptimizerConfig config;
  private final double weightDecay;
  private long t;

  public Optimizer(OptimizerConfig config, double weightDecay) {
    this.config = config;
    this.weightDecay = weightDecay;
  }

  /** Starts a new step (Adam's bias correction counts steps). */
  public void beginStep() {
    t++;
  }

  public double learningRate() {
    return config.learningRate();
  }

  /** One step on {@code p}; returns the squared norm of the step. */
  public double update(Parameter p, boolean decay) {
    return update(p, decay, true);
  }

  /**
   * One step on {@code p}, in float32 like the parameters (the rates are rounded to float once).
   * Returns the squared norm of the step, summed in double, when {@code measure}; else 0, and the
   * update loop is left free of the reduction, which keeps it vectorisable.
   */
  public double update(Parameter p, boolean decay, boolean measure) {
    float lr = (float) config.learningRate();
    float wd = decay ? (float) weightDecay : 0;
    float[] w = p.value, g = p.grad, m = p.m, v = p.v;
    int n = w.length;
    switch (config.type()) {
      case "sgd" -> {
        if (measure) return stepSquared(w, g, lr, wd);
        for (int i = 0; i < n; i++) w[i] += -lr * (g[i] + wd * w[i]);
      }
      case "momentum" -> {
        float mu = (float) config.momentum();
        for (int i = 0; i < n; i++) {
          m[i] = mu * m[i] - lr * (g[i] + wd * w[i]);
          w[i] += m[i];
        }
        if (measure) return squaredNorm(m);
      }
      case "adam" -> {
        float b1 = (float) config.beta1(), b2 = (float) config.beta2();
        float eps = (float) config.epsilon();
        // The bias corrections depend on the step count only: taken in double, then rounded.
        float c1 = (float) (1 - Math.pow(config.beta1(), t));
        float c2 = (float) (1 - Math.pow(config.beta2(), t));
        double stepSquared = 0;
        for (int i = 0; i < n; i++) {
          float gi = g[i] + wd * w[i];
          m[i] = b1 * m[i] + (1 - b1) * gi;
          v[i] = b2 * v[i] + (1 - b2) * gi * gi;
          float step = -lr * (m[i] / c1) / ((float) Math.sqrt(v[i] / c2) + eps);
          w[i] += step;
          stepSquared += step * step;
        }
        return measure ? stepSquared : 0;
      }
      default -> throw new IllegalStateException("unknown optimizer " + config.type());
    }
    return 0;
  }

  /** The SGD step, measured: the same update, and the squared norm of the steps. */
  private static double stepSquared(float[] w, float[] g, float lr, float wd) {
    double sum = 0;
    for (int i = 0; i < w.length; i++) {
      float step = -lr * (g[i] + wd * w[i]);
      w[i] += step;
      sum += step * step;
    }
    return sum;
  }

  private static double squaredNorm(float[] v) {
    double sum = 0;
    for (float x : v) sum += x * x;
    return sum;
  }
}
