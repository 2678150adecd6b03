package dev.trainscope.engine.config;

import static dev.trainscope.engine.check.Require.between;

import dev.trainscope.engine.check.InvalidValueException;
import dev.trainscope.engine.nn.Activation;

/** One dense layer: how many units, and which activation follows the linear map. */
public record LayerSpec(int units, String activation) {
  public static final int MAX_UNITS = 4096;

  public LayerSpec {
    between("units", units, 1, MAX_UNITS);
    if (activation == null || Activation.byName(activation) == null) {
      throw new InvalidValueException(
          "activation",
          "activation one of " + Activation.NAMES + " required but was " + activation);
    }
    activation = Activation.byName(activation).wireName();
  }

  public static LayerSpec of(int units, String activation) {
    return new LayerSpec(units, activation);
  }
}
