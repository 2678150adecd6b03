package dev.trainscope.engine.event;

import static dev.trainscope.engine.check.Require.between;
import static dev.trainscope.engine.check.Require.finite;
import static dev.trainscope.engine.check.Require.nonBlank;

import dev.trainscope.engine.check.InvalidValueException;
import java.util.List;

/**
 * What a 2-input network predicts over the plane at a traced epoch: a {@code grid} x {@code grid}
 * map over [{@code xMin}, {@code xMax}] x [{@code yMin}, {@code yMax}] (the data's range plus a
 * margin, in the data set's own units). Cells are in row-major order, row 0 at the top ({@code y =
 * yMax}), so cell {@code (row, col)} is byte {@code row * grid + col} and its centre is {@code x =
 * xMin + (col + 0.5) * (xMax - xMin) / grid}, {@code y = yMax - (row + 0.5) * (yMax - yMin) /
 * grid}. {@code predicted} is base64 of one byte per cell, the predicted class's index; {@code
 * confidence} is base64 of one byte per cell, {@code round(p * 255)} of that class's probability.
 * {@code units} maps what each hidden unit computes over the same cells (layers of at most {@link
 * #MAX_MAPPED_UNITS} units).
 */
public record DecisionBoundary(
    String runId,
    long seq,
    long time,
    int epoch,
    int grid,
    double xMin,
    double xMax,
    double yMin,
    double yMax,
    String predicted,
    String confidence,
    List<UnitMap> units)
    implements TrainingEvent {
  public static final String TYPE = "decision-boundary";

  /** Hidden layers wider than this get no unit maps (their tiles would not be read). */
  public static final int MAX_MAPPED_UNITS = 16;

  public DecisionBoundary {
    TrainingEvent.Header.check(runId, seq, time);
    if (epoch < 0) throw new InvalidValueException("epoch", "epoch >= 0 required but was " + epoch);
    between("grid", grid, 1, 1024);
    finite("xMin", xMin);
    finite("xMax", xMax);
    finite("yMin", yMin);
    finite("yMax", yMax);
    if (!(xMax > xMin)) {
      throw new InvalidValueException("xMax", "xMax > xMin required but was " + xMax);
    }
    if (!(yMax > yMin)) {
      throw new InvalidValueException("yMax", "yMax > yMin required but was " + yMax);
    }
    cells("predicted", predicted, grid);
    cells("confidence", confidence, grid);
    units = units == null ? List.of() : List.copyOf(units);
    for (UnitMap u : units) cells("units.values", u.values(), grid);
  }

  /**
   * One hidden unit's activation per cell: base64, byte {@code b} stands for min + b/255 * (max -
   * min).
   */
  public record UnitMap(int layer, int unit, double min, double max, String values) {
    public UnitMap {
      if (layer < 0)
        throw new InvalidValueException("layer", "layer >= 0 required but was " + layer);
      if (unit < 0) throw new InvalidValueException("unit", "unit >= 0 required but was " + unit);
      finite("min", min);
      finite("max", max);
      if (max < min) throw new InvalidValueException("max", "max >= min required but was " + max);
    }
  }

  /** A base64 string of {@code grid * grid} bytes (checked by length, without decoding). */
  private static void cells(String field, String base64, int grid) {
    nonBlank(field, base64);
    long expected = 4L * ((grid * (long) grid + 2) / 3);
    if (base64.length() != expected) {
      throw new InvalidValueException(
          field,
          field
              + " base64 of "
              + grid * grid
              + " bytes ("
              + expected
              + " characters) required but"
              + " was "
              + base64.length()
              + " characters");
    }
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public DecisionBoundary withSeqAndTime(long seq, long time) {
    return new DecisionBoundary(
        runId, seq, time, epoch, grid, xMin, xMax, yMin, yMax, predicted, confidence, units);
  }
}
