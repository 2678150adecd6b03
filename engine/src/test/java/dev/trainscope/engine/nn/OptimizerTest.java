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
    Optimizer o = new Optimizer(OptimizerConfig.sgd(0.1), 0.5);
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
    Optimizer o = new Optimizer(OptimizerConfig.momentum(0.1, 0.9), 0);
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
    Optimizer o = new Optimizer(OptimizerConfig.adam(0.01), 0);
    Parameter p = param(1, -250);
    o.beginStep();
    o.update(p, true);
    assertThat(p.value[0]).isCloseTo(1.01f, within(1e-6f));
    assertThat(o.learningRate()).isEqualTo(0.01);
  }
}
