package dev.trainscope.engine.config;

import static dev.trainscope.engine.check.Require.inHalfOpen;
import static dev.trainscope.engine.check.Require.positive;

import dev.trainscope.engine.check.InvalidValueException;
import dev.trainscope.engine.nn.Optimizer;
import java.util.List;

/**
 * The optimizer: {@code sgd}, {@code momentum} (SGD with momentum) or {@code adam}. Fields an
 * optimizer does not use are kept but ignored, so one JSON shape fits all three.
 */
public record OptimizerConfig(
    String type, double learningRate, double momentum, double beta1, double beta2, double epsilon) {
  public static final List<String> TYPES = List.of("sgd", "momentum", "adam");
  public static final double MAX_LEARNING_RATE = 1000;

  public OptimizerConfig {
    if (type == null || !TYPES.contains(type.toLowerCase())) {
      throw new InvalidValueException("type", "type one of " + TYPES + " required but was " + type);
    }
    type = type.toLowerCase();
    positive("learningRate", learningRate);
    if (learningRate > MAX_LEARNING_RATE) {
      throw new InvalidValueException(
          "learningRate",
          "learningRate <= " + MAX_LEARNING_RATE + " required but was " + learningRate);
    }
    inHalfOpen("momentum", momentum, 0, 1);
    inHalfOpen("beta1", beta1, 0, 1);
    inHalfOpen("beta2", beta2, 0, 1);
    positive("epsilon", epsilon);
  }

  /** A new optimizer with this config's rule and rates (it keeps per-step state: one per run). */
  public Optimizer newOptimizer(double weightDecay) {
    return switch (type) {
      case "sgd" -> Optimizer.sgd(learningRate, weightDecay);
      case "momentum" -> Optimizer.momentum(learningRate, momentum, weightDecay);
      case "adam" -> Optimizer.adam(learningRate, beta1, beta2, epsilon, weightDecay);
      default -> throw new IllegalStateException("type " + type + " was validated");
    };
  }

  public static OptimizerConfig sgd(double learningRate) {
    return new OptimizerConfig("sgd", learningRate, 0.9, 0.9, 0.999, 1e-8);
  }

  public static OptimizerConfig momentum(double learningRate, double momentum) {
    return new OptimizerConfig("momentum", learningRate, momentum, 0.9, 0.999, 1e-8);
  }

  public static OptimizerConfig adam(double learningRate) {
    return new OptimizerConfig("adam", learningRate, 0.9, 0.9, 0.999, 1e-8);
  }
}
