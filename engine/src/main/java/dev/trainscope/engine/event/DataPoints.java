package dev.trainscope.engine.event;

import static dev.trainscope.engine.check.Require.between;

import dev.trainscope.engine.check.InvalidValueException;
import java.util.List;

/**
 * The samples of a 2-input run, once, right after {@code run-started}, so a map can draw them under
 * its {@code decision-boundary}: each split's points in the data set's own units (the boundary's),
 * with their class indices. {@code mean} and {@code std} are the standardisation the network's
 * inputs went through (an {@code activations} input {@code z} is the point {@code z * std + mean}).
 * Above {@link #MAX_POINTS} samples in a split, every {@code stride}-th sample of each split is
 * sent: point {@code k} is sample {@code k * stride} of its split, the index a probe choice names.
 */
public record DataPoints(
    String runId,
    long seq,
    long time,
    List<Double> mean,
    List<Double> std,
    int stride,
    Points train,
    Points validation)
    implements TrainingEvent {
  public static final String TYPE = "data-points";

  /** The most points a split sends; a larger split is thinned by {@code stride}. */
  public static final int MAX_POINTS = 2000;

  public DataPoints {
    TrainingEvent.Header.check(runId, seq, time);
    mean = pair("mean", mean);
    std = pair("std", std);
    between("stride", stride, 1, Integer.MAX_VALUE);
    if (train == null) throw new InvalidValueException("train", "train non-null required");
    if (validation == null) validation = new Points(List.of(), List.of(), List.of());
  }

  /** One split's points as columns: {@code x[k]}, {@code y[k]}, class index {@code label[k]}. */
  public record Points(List<Double> x, List<Double> y, List<Integer> label) {
    public Points {
      x = TrainingEvent.Header.finiteList("x", x);
      y = TrainingEvent.Header.finiteList("y", y);
      label = List.copyOf(label);
      if (y.size() != x.size() || label.size() != x.size()) {
        throw new InvalidValueException(
            "label",
            "x, y and label of one size required but were "
                + x.size()
                + ", "
                + y.size()
                + " and "
                + label.size());
      }
      for (int i = 0; i < label.size(); i++) {
        if (label.get(i) < 0) {
          throw new InvalidValueException(
              "label", "label[" + i + "] >= 0 required but was " + label.get(i));
        }
      }
    }
  }

  private static List<Double> pair(String field, List<Double> values) {
    List<Double> v = TrainingEvent.Header.finiteList(field, values);
    if (v.size() != 2) {
      throw new InvalidValueException(field, field + " of 2 values required but was " + v.size());
    }
    return v;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public DataPoints withSeqAndTime(long seq, long time) {
    return new DataPoints(runId, seq, time, mean, std, stride, train, validation);
  }
}
