package dev.trainscope.engine;

import dev.trainscope.engine.check.InvalidValueException;
import dev.trainscope.engine.event.TrainingEvent.LayerInfo;
import dev.trainscope.engine.event.TrainingEvent.ModelInfo;

/**
 * A hand edit of one parameter: the weight from {@code input} to {@code unit} of {@code layer}, or
 * that unit's bias when {@code bias} is true ({@code input} is then null), set to {@code value}.
 * Requested through {@link RunControl#editWeight} from any thread; the run applies it between
 * epochs.
 */
public record WeightEdit(int layer, int unit, Integer input, boolean bias, double value) {
  public WeightEdit {
    if (bias == (input != null)) {
      throw new InvalidValueException(
          "input", "input (for a weight) or bias true required, not both, but was input " + input);
    }
    if (!Double.isFinite(value)) {
      throw new InvalidValueException("value", "value finite required but was " + value);
    }
  }

  /** Checks the indices against the model; the message names the index that is out of range. */
  public void checkAgainst(ModelInfo model) {
    int layers = model.layers().size();
    if (layer < 0 || layer >= layers) {
      throw new InvalidValueException(
          "layer", "layer in [0, " + (layers - 1) + "] required but was " + layer);
    }
    LayerInfo l = model.layers().get(layer);
    if (unit < 0 || unit >= l.units()) {
      throw new InvalidValueException(
          "unit", "unit in [0, " + (l.units() - 1) + "] required but was " + unit);
    }
    if (input != null && (input < 0 || input >= l.inputs())) {
      throw new InvalidValueException(
          "input", "input in [0, " + (l.inputs() - 1) + "] required but was " + input);
    }
  }
}
