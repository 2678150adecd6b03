package dev.trainscope.engine.event;

import static dev.trainscope.engine.check.Require.finite;

import dev.trainscope.engine.check.InvalidValueException;

/**
 * A learner set one parameter by hand while the run was paused, after {@code epoch} epochs: the
 * weight from {@code input} to {@code unit} of {@code layer}, or that unit's bias when {@code bias}
 * is true ({@code input} is then null). Written by the engine, never pushed: a replay shows why the
 * next trace jumped.
 */
public record WeightsEdited(
    String runId,
    long seq,
    long time,
    int epoch,
    int layer,
    int unit,
    Integer input,
    boolean bias,
    double oldValue,
    double newValue)
    implements TrainingEvent {
  public static final String TYPE = "weights-edited";

  public WeightsEdited {
    TrainingEvent.Header.check(runId, seq, time);
    if (epoch < 0) throw new InvalidValueException("epoch", "epoch >= 0 required but was " + epoch);
    if (layer < 0) throw new InvalidValueException("layer", "layer >= 0 required but was " + layer);
    if (unit < 0) throw new InvalidValueException("unit", "unit >= 0 required but was " + unit);
    if (bias == (input != null)) {
      throw new InvalidValueException(
          "input", "input (for a weight) or bias true required, not both, but was " + input);
    }
    if (input != null && input < 0) {
      throw new InvalidValueException("input", "input >= 0 required but was " + input);
    }
    finite("oldValue", oldValue);
    finite("newValue", newValue);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public WeightsEdited withSeqAndTime(long seq, long time) {
    return new WeightsEdited(runId, seq, time, epoch, layer, unit, input, bias, oldValue, newValue);
  }
}
