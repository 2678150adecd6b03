package dev.trainscope.engine;

import dev.trainscope.engine.event.WeightsEdited;
import dev.trainscope.engine.nn.DenseLayer;
import dev.trainscope.engine.nn.Network;

/**
 * Applies hand edits to the network on the training thread, between epochs, so no other thread ever
 * writes a parameter.
 */
final class WeightEditor {
  private final Network network;

  WeightEditor(Network network) {
    this.network = network;
  }

  /** Sets the parameter and returns the event recording it, after {@code epoch} epochs. */
  EventBody<WeightsEdited> apply(WeightEdit edit, int epoch) {
    DenseLayer layer = network.layers().get(edit.layer());
    float[] values = edit.bias() ? layer.biases.value : layer.weights.value;
    // W is inputs x units, row-major.
    int at = edit.bias() ? edit.unit() : edit.input() * layer.units + edit.unit();
    double old = ProbeTrace.decimal(values[at]);
    values[at] = (float) edit.value();
    double now = ProbeTrace.decimal(values[at]);
    return (id, seq, time) ->
        new WeightsEdited(
            id, seq, time, epoch, edit.layer(), edit.unit(), edit.input(), edit.bias(), old, now);
  }
}
