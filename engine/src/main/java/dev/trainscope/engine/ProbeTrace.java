package dev.trainscope.engine;

import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.engine.data.Split;
import dev.trainscope.engine.event.TrainingEvent.Activations;
import dev.trainscope.engine.event.TrainingEvent.LayerTrace;
import dev.trainscope.engine.nn.DenseLayer;
import dev.trainscope.engine.nn.Matrix;
import dev.trainscope.engine.nn.Network;
import java.util.ArrayList;
import java.util.List;

/**
 * The probe sample's trip through the network, as an {@code activations} event reports it: its
 * input, each layer's linear output z and activation output f(z) (and its weights when the layer is
 * small), the class probabilities and the prediction.
 */
final class ProbeTrace {
  private final Network network;
  private final List<String> classes;

  /** The probe as the events report it, and as the network takes it. */
  private final List<Double> input;

  private final Matrix x;

  /** The probe's class when it is a sample of the data set, else null. */
  private final Integer label;

  ProbeTrace(Network network, List<String> classes, double[] input, Integer label) {
    this.network = network;
    this.classes = classes;
    this.label = label;
    List<Double> boxed = new ArrayList<>(input.length);
    for (double v : input) boxed.add(v);
    this.input = List.copyOf(boxed);
    this.x = new Matrix(1, input.length);
    for (int j = 0; j < input.length; j++) x.data[j] = (float) input[j];
  }

  /** The config's probe, else the first validation sample, else the first training sample. */
  static ProbeTrace of(Network network, List<String> classes, TrainingConfig config, Split split) {
    if (config.probe() != null) {
      double[] probe = config.probe().stream().mapToDouble(Double::doubleValue).toArray();
      return new ProbeTrace(network, classes, probe, null);
    }
    boolean val = split.hasValidation();
    Matrix samples = val ? split.valX : split.trainX;
    return new ProbeTrace(
        network, classes, decimals(samples.row(0)), val ? split.valY[0] : split.trainY[0]);
  }

  /** The probe a learner chose while the run trains: a sample of a split, or any input. */
  static ProbeTrace chosen(Network network, List<String> classes, ProbeChoice choice, Split split) {
    if (choice.input() != null) {
      double[] in = choice.input().stream().mapToDouble(Double::doubleValue).toArray();
      return new ProbeTrace(network, classes, in, null);
    }
    boolean val = ProbeChoice.VALIDATION.equals(choice.split());
    Matrix samples = val ? split.valX : split.trainX;
    int i = choice.index();
    return new ProbeTrace(
        network, classes, decimals(samples.row(i)), val ? split.valY[i] : split.trainY[i]);
  }

  /** Traces the probe through the network now; the event takes its header when it is emitted. */
  EventBody<Activations> trace(int epoch) {
    Matrix out = network.forward(x);
    List<LayerTrace> layers = new ArrayList<>();
    int i = 0;
    for (DenseLayer layer : network.layers()) {
      layers.add(
          new LayerTrace(
              i++,
              layer.activation.wireName(),
              layer.inputs,
              layer.units,
              decimalList(layer.linear().data),
              decimalList(layer.output().data),
              tracedWeights(layer)));
    }
    int predicted = out.argmax(0);
    List<Double> probabilities = decimalList(out.data);
    return (id, seq, time) ->
        new Activations(
            id,
            seq,
            time,
            epoch,
            input,
            layers,
            probabilities,
            predicted,
            classes.get(predicted),
            label,
            label == null ? null : classes.get(label));
  }

  /** W as [unit][input] for small layers, so a dashboard can draw each edge; else null. */
  private static List<List<Double>> tracedWeights(DenseLayer layer) {
    if ((long) layer.inputs * layer.units > LayerTrace.MAX_TRACED_WEIGHTS) return null;
    float[] w = layer.weights.value; // inputs x units, row-major
    List<List<Double>> rows = new ArrayList<>(layer.units);
    for (int u = 0; u < layer.units; u++) {
      List<Double> row = new ArrayList<>(layer.inputs);
      for (int in = 0; in < layer.inputs; in++) row.add(decimal(w[in * layer.units + u]));
      rows.add(row);
    }
    return rows;
  }

  /**
   * A float32 value as the double of its shortest decimal (what Float.toString and numpy print for
   * it): 0.69f reads 0.69 on the wire rather than its binary expansion 0.6899999976158142, and
   * rounds back to the same float.
   */
  static double decimal(float f) {
    return Double.parseDouble(Float.toString(f));
  }

  private static double[] decimals(float[] v) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) out[i] = decimal(v[i]);
    return out;
  }

  private static List<Double> decimalList(float[] v) {
    List<Double> out = new ArrayList<>(v.length);
    for (float f : v) out.add(decimal(f));
    return out;
  }
}
