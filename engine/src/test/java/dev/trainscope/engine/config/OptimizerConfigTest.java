package dev.trainscope.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainscope.engine.check.InvalidValueException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class OptimizerConfigTest {

  static void rejects(ThrowingCallable build, String field, String message) {
    assertThatThrownBy(build)
        .isInstanceOfSatisfying(
            InvalidValueException.class, e -> assertThat(e.field()).isEqualTo(field))
        .hasMessage(message);
  }

  @Test
  void learningRateMustBePositiveFiniteAndAtMost1000() {
    rejects(
        () -> OptimizerConfig.sgd(-1), "learningRate", "learningRate > 0 required but was -1.0");
    rejects(() -> OptimizerConfig.sgd(0), "learningRate", "learningRate > 0 required but was 0.0");
    rejects(
        () -> OptimizerConfig.adam(Double.NaN),
        "learningRate",
        "learningRate > 0 required but was NaN");
    rejects(
        () -> OptimizerConfig.adam(Double.POSITIVE_INFINITY),
        "learningRate",
        "learningRate > 0 required but was Infinity");
    rejects(
        () -> OptimizerConfig.sgd(1000.5),
        "learningRate",
        "learningRate <= 1000.0 required but was 1000.5");
    assertThat(OptimizerConfig.sgd(1000).learningRate()).isEqualTo(1000);
  }

  @Test
  void typeMustBeKnownAndIsNormalised() {
    rejects(
        () -> new OptimizerConfig("rmsprop", 0.1, 0.9, 0.9, 0.999, 1e-8),
        "type",
        "type one of [sgd, momentum, adam] required but was rmsprop");
    rejects(
        () -> new OptimizerConfig(null, 0.1, 0.9, 0.9, 0.999, 1e-8),
        "type",
        "type one of [sgd, momentum, adam] required but was null");
    assertThat(new OptimizerConfig("Adam", 0.1, 0.9, 0.9, 0.999, 1e-8))
        .isEqualTo(OptimizerConfig.adam(0.1));
  }

  @Test
  void decayRatesMustBeInZeroToOne() {
    rejects(
        () -> OptimizerConfig.momentum(0.1, 1),
        "momentum",
        "momentum in [0.0, 1.0) required but was 1.0");
    rejects(
        () -> new OptimizerConfig("adam", 0.1, 0.9, -0.1, 0.999, 1e-8),
        "beta1",
        "beta1 in [0.0, 1.0) required but was -0.1");
    rejects(
        () -> new OptimizerConfig("adam", 0.1, 0.9, 0.9, 1, 1e-8),
        "beta2",
        "beta2 in [0.0, 1.0) required but was 1.0");
    rejects(
        () -> new OptimizerConfig("adam", 0.1, 0.9, 0.9, 0.999, 0),
        "epsilon",
        "epsilon > 0 required but was 0.0");
    assertThat(OptimizerConfig.momentum(0.1, 0).momentum()).isZero();
  }
}
