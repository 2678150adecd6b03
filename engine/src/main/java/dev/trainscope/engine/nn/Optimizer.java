package dev.trainscope.engine.nn;

/**
 * Applies one step to a parameter from its gradient. L2 weight decay is added to the gradient
 * (coupled), as in classic SGD. Returns the squared norm of the step, for update-to-weight ratios.
 * Built from a run's {@code OptimizerConfig}; the rates are plain numbers here, so the math depends
 * on no configuration type.
 */
public final class Optimizer {
  private enum Rule {
    SGD,
    MOMENTUM,
    ADAM
  }

  private final Rule rule;
  private final double learningRate;
  private final double momentum;
  private final double beta1;
  private final double beta2;
  private final double epsilon;
  private final double weightDecay;
  private long t;

  private Optimizer(
      Rule rule,
      double learningRate,
      double momentum,
      double beta1,
      double beta2,
      double epsilon,
      double weightDecay) {
    this.rule = rule;
    this.learningRate = learningRate;
    this.momentum = momentum;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.weightDecay = weightDecay;
  }

  /** Plain SGD: {@code w -= lr * (g + wd * w)}. */
  public static Optimizer sgd(double learningRate, double weightDecay) {
    return new Optimizer(Rule.SGD, learningRate, 0, 0, 0, 0, weightDecay);
  }

  /** SGD with momentum: {@code v = mu * v - lr * (g + wd * w); w += v}. */
  public static Optimizer momentum(double learningRate, double momentum, double weightDecay) {
    return new Optimizer(Rule.MOMENTUM, learningRate, momentum, 0, 0, 0, weightDecay);
  }

  /** Adam with bias correction. */
  public static Optimizer adam(
      double learningRate, double beta1, double beta2, double epsilon, double weightDecay) {
    return new Optimizer(Rule.ADAM, learningRate, 0, beta1, beta2, epsilon, weightDecay);
  }

  /** Starts a new step (Adam's bias correction counts steps). */
  public void beginStep() {
    t++;
  }

  public double learningRate() {
    return learningRate;
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
    float lr = (float) learningRate;
    float wd = decay ? (float) weightDecay : 0;
    float[] w = p.value, g = p.grad, m = p.m, v = p.v;
    int n = w.length;
    switch (rule) {
      case SGD -> {
        if (measure) return stepSquared(w, g, lr, wd);
        for (int i = 0; i < n; i++) w[i] += -lr * (g[i] + wd * w[i]);
      }
      case MOMENTUM -> {
        float mu = (float) momentum;
        for (int i = 0; i < n; i++) {
          m[i] = mu * m[i] - lr * (g[i] + wd * w[i]);
          w[i] += m[i];
        }
        if (measure) return squaredNorm(m);
      }
      case ADAM -> {
        float b1 = (float) beta1, b2 = (float) beta2;
        float eps = (float) epsilon;
        // The bias corrections depend on the step count only: taken in double, then rounded.
        float c1 = (float) (1 - Math.pow(beta1, t));
        float c2 = (float) (1 - Math.pow(beta2, t));
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
