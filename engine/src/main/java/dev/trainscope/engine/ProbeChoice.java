package dev.trainscope.engine;

import dev.trainscope.engine.check.InvalidValueException;
import dev.trainscope.engine.event.TrainingEvent.DatasetInfo;
import java.util.List;

/**
 * A new probe for a running network: a sample of one of its splits ({@code split} "train" or
 * "validation" and its {@code index} there, so the trace knows its class), or any {@code input} in
 * the network's input units (standardised, as the config's {@code probe}). Requested through {@link
 * RunControl#chooseProbe} from any thread; the run traces it at its next epoch boundary.
 */
public record ProbeChoice(List<Double> input, String split, Integer index) {
  public static final String TRAIN = "train";
  public static final String VALIDATION = "validation";

  public ProbeChoice {
    if ((input == null) == (split == null)) {
      throw new InvalidValueException(
          "input", "input, or split and index, required (one of the two) but was input " + input);
    }
    if (input != null) {
      for (int i = 0; i < input.size(); i++) {
        Double v = input.get(i);
        if (v == null || !Double.isFinite(v)) {
          throw new InvalidValueException("input", "input[" + i + "] finite required but was " + v);
        }
      }
      input = List.copyOf(input);
      if (index != null) throw new InvalidValueException("index", "index only with split");
    } else {
      if (!TRAIN.equals(split) && !VALIDATION.equals(split)) {
        throw new InvalidValueException(
            "split", "split \"train\" or \"validation\" required but was \"" + split + "\"");
      }
      if (index == null) throw new InvalidValueException("index", "index required with split");
    }
  }

  public static ProbeChoice input(List<Double> input) {
    return new ProbeChoice(input, null, null);
  }

  public static ProbeChoice sample(String split, int index) {
    return new ProbeChoice(null, split, index);
  }

  /** Checks the choice against the run's data set; the message names what does not fit. */
  public void checkAgainst(DatasetInfo data) {
    if (input != null) {
      if (input.size() != data.features()) {
        throw new InvalidValueException(
            "input", "input of " + data.features() + " values required but was " + input.size());
      }
      return;
    }
    int size = TRAIN.equals(split) ? data.trainSize() : data.validationSize();
    if (size == 0) {
      throw new InvalidValueException("split", "the run has no " + split + " samples");
    }
    if (index < 0 || index >= size) {
      throw new InvalidValueException(
          "index", "index in [0, " + (size - 1) + "] required but was " + index);
    }
  }
}
