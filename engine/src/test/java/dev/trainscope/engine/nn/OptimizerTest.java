package dev.trainscope.engine.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.trainscope.engine.config.OptimizerConfig;
import org.junit.jupiter.api.Test;

class OptimizerTest {

  static Parameter param(float value, float grad) {
    Parameter p = new Parameter(1);
    p.value[0] = value;
    p.grad[0] = grad;
    return p;
  }

  @Test
  void sgdStepsAgainstTheGradientWithCoupledWeightDecay() {
    Optimizer o = Optimizer.sgd(0.1, 0.5);
    Parameter p = param(2, 3);
    o.beginStep();
    double sq = o.update(p, true);
    // step = -0.1 * (3 + 0.5 * 2) = -0.4, in float32: within a few float roundings.
    assertThat(p.value[0]).isCloseTo(1.6f, within(1e-6f));
    assertThat(sq).isCloseTo(0.16, within(1e-6));
    Parameter bias = param(2, 3);
    o.update(bias, false);
    assertThat(bias.value[0]).isCloseTo(1.7f, within(1e-6f));
  }

  @Test
  void momentumAccumulatesVelocity() {
    Optimizer o = Optimizer.momentum(0.1, 0.9, 0);
    Parameter p = param(0, 1);
    o.beginStep();
    o.update(p, true); // v = -0.1
    o.beginStep();
    o.update(p, true); // v = 0.9 * -0.1 - 0.1 = -0.19
    assertThat(p.value[0]).isCloseTo(-0.29f, within(1e-6f));
  }

  @Test
  void adamFirstStepIsTheLearningRateTimesTheGradientSign() {
    // With bias correction, m / sqrt(v) = g / |g| on the first step.
    Optimizer o = Optimizer.adam(0.01, 0.9, 0.999, 1e-8, 0);
    Parameter p = param(1, -250);
    o.beginStep();
    o.update(p, true);
    assertThat(p.value[0]).isCloseTo(1.01f, within(1e-6f));
    assertThat(o.learningRate()).isEqualTo(0.01);
  }

  @Test
  void aConfigBuildsTheOptimizerOfItsRuleWithItsRates() {
    assertStepsAlike(
        new OptimizerConfig("sgd", 0.1, 0.5, 0.8, 0.99, 1e-6).newOptimizer(0.2),
        Optimizer.sgd(0.1, 0.2));
    assertStepsAlike(
        new OptimizerConfig("momentum", 0.1, 0.5, 0.8, 0.99, 1e-6).newOptimizer(0.2),
        Optimizer.momentum(0.1, 0.5, 0.2));
    assertStepsAlike(
        new OptimizerConfig("adam", 0.1, 0.5, 0.8, 0.99, 1e-6).newOptimizer(0.2),
        Optimizer.adam(0.1, 0.8, 0.99, 1e-6, 0.2));
  }

  /** Three steps of each on the same parameter and gradients leave the same values. */
  private static void assertStepsAlike(Optimizer fromConfig, Optimizer expected) {
    Parameter a = param(1, 0.5f), b = param(1, 0.5f);
    for (int step = 0; step < 3; step++) {
      a.grad[0] = b.grad[0] = 0.5f - step;
      fromConfig.beginStep();
      expected.beginStep();
      assertThat(fromConfig.update(a, true)).isEqualTo(expected.update(b, true));
    }
    assertThat(a.value[0]).isEqualTo(b.value[0]);
    assertThat(fromConfig.learningRate()).isEqualTo(expected.learningRate());
  }
}
