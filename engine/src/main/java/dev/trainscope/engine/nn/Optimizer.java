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

  public double update(Parameter p, boolean decay) {
    double lr = config.learningRate();
    double wd = decay ? weightDecay : 0;
    double[] w = p.value, g = p.grad, m = p.m, v = p.v;
    double stepSquared = 0;
    switch (config.type()) {
      case "sgd" -> {
        for (int i = 0; i < w.length; i++) {
          double step = -lr * (g[i] + wd * w[i]);
          w[i] += step;
          stepSquared += step * step;
        }
      }
      case "momentum" -> {
        double mu = config.momentum();
        for (int i = 0; i < w.length; i++) {
          m[i] = mu * m[i] - lr * (g[i] + wd * w[i]);
          w[i] += m[i];
          stepSquared += m[i] * m[i];
        }
      }
      case "adam" -> {
        double b1 = config.beta1(), b2 = config.beta2(), eps = config.epsilon();
        double c1 = 1 - Math.pow(b1, t), c2 = 1 - Math.pow(b2, t);
        for (int i = 0; i < w.length; i++) {
          double gi = g[i] + wd * w[i];
          m[i] = b1 * m[i] + (1 - b1) * gi;
          v[i] = b2 * v[i] + (1 - b2) * gi * gi;
          double step = -lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + eps);
          w[i] += step;
          stepSquared += step * step;
        }
      }
      default -> throw new IllegalStateException("unknown optimizer " + config.type());
    }
    return stepSquared;
  }
}
