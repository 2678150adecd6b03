package dev.trainscope.engine.config;

import static dev.trainscope.engine.check.Require.between;
import static dev.trainscope.engine.check.Require.nonNull;

import dev.trainscope.engine.check.InvalidValueException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Everything that defines a training run, validated on construction. The defaults (see {@link
 * #builder()}) reproduce the reference network: Iris, 4 -> Dense 3 ReLU -> Dense 3 sigmoid -> Dense
 * 3 softmax, cross-entropy, He initialisation (as the numpy reference trainer), SGD with learning
 * rate 0.1, batches of 16, 20 % validation, seed 42, 200 epochs. Every random choice of a run is
 * derived from {@code seed}.
 *
 * @param name a label for people; derived from data set and layers when blank
 * @param dataset a built-in data set ({@code iris, penguins, xor, circles, spiral, blobs}) or the
 *     name of a data set the caller supplies
 * @param samples sample count of the synthetic 2-D data sets
 * @param noise noise of the synthetic data sets (standard deviation, in units of the pattern)
 * @param probe the input whose trace is emitted, in the network's input units (features
 *     standardised by the training set's mean and standard deviation); null means the first
 *     validation sample
 * @param traceEvery epochs between {@code activations} and {@code layer-stats} events (the last
 *     epoch is always traced)
 * @param boundaryGrid cells per side of the {@code decision-boundary} grid of 2-input runs (0, as
 *     in logs written before the field existed, means the default)
 * @param epochDelayMs pause after each epoch, so a person can watch a tiny network learn
 * @param batchEvents whether to emit one {@code batch} event per mini-batch
 */
public record TrainingConfig(
    String name,
    String dataset,
    int samples,
    double noise,
    List<LayerSpec> layers,
    String loss,
    OptimizerConfig optimizer,
    String initializer,
    int epochs,
    int batchSize,
    double validationSplit,
    long seed,
    double weightDecay,
    List<Double> probe,
    int traceEvery,
    int boundaryGrid,
    long epochDelayMs,
    boolean batchEvents) {

  public static final int MAX_LAYERS = 16;
  public static final int MAX_EPOCHS = 1_000_000;
  public static final int MAX_BATCH_SIZE = 65_536;
  public static final int MAX_SAMPLES = 100_000;
  public static final int MAX_NAME_LENGTH = 200;
  public static final long MAX_EPOCH_DELAY_MS = 60_000;
  public static final int DEFAULT_BOUNDARY_GRID = 48;
  public static final int MIN_BOUNDARY_GRID = 8;
  public static final int MAX_BOUNDARY_GRID = 128;
  public static final List<String> LOSSES = List.of("cross_entropy", "mse");
  public static final List<String> INITIALIZERS = List.of("auto", "he", "glorot");

  /**
   * The reference network's layers. A config with exactly these layers means "the default network",
   * whose output layer {@link #fittedTo} sizes to the data set.
   */
  public static final List<LayerSpec> DEFAULT_LAYERS =
      List.of(LayerSpec.of(3, "relu"), LayerSpec.of(3, "sigmoid"), LayerSpec.of(3, "softmax"));

  public TrainingConfig {
    if (dataset == null || dataset.isBlank() || dataset.length() > MAX_NAME_LENGTH) {
      throw new InvalidValueException(
          "dataset",
          "dataset non-blank of at most "
              + MAX_NAME_LENGTH
              + " characters required but was "
              + dataset);
    }
    between("samples", samples, 4, MAX_SAMPLES);
    if (!(noise >= 0 && noise <= 10)) {
      throw new InvalidValueException("noise", "noise in [0, 10] required but was " + noise);
    }
    nonNull("layers", layers);
    between("layers.size", layers.size(), 1, MAX_LAYERS);
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i) == null) {
        throw new InvalidValueException(
            "layers[" + i + "]", "layers[" + i + "] required but was null");
      }
    }
    layers = List.copyOf(layers);
    if (loss == null || !LOSSES.contains(loss.toLowerCase())) {
      throw new InvalidValueException(
          "loss", "loss one of " + LOSSES + " required but was " + loss);
    }
    loss = loss.toLowerCase();
    String last = layers.get(layers.size() - 1).activation();
    if (loss.equals("cross_entropy") && !last.equals("softmax")) {
      throw new InvalidValueException(
          "loss",
          "loss cross_entropy requires a softmax output layer but the last layer's activation was "
              + last);
    }
    nonNull("optimizer", optimizer);
    if (initializer == null || !INITIALIZERS.contains(initializer.toLowerCase())) {
      throw new InvalidValueException(
          "initializer", "initializer one of " + INITIALIZERS + " required but was " + initializer);
    }
    initializer = initializer.toLowerCase();
    between("epochs", epochs, 1, MAX_EPOCHS);
    between("batchSize", batchSize, 1, MAX_BATCH_SIZE);
    if (!(validationSplit >= 0 && validationSplit <= 0.9)) {
      throw new InvalidValueException(
          "validationSplit", "validationSplit in [0, 0.9] required but was " + validationSplit);
    }
    if (!(weightDecay >= 0 && weightDecay < 1)) {
      throw new InvalidValueException(
          "weightDecay", "weightDecay in [0, 1) required but was " + weightDecay);
    }
    if (probe != null) {
      between("probe.size", probe.size(), 1, LayerSpec.MAX_UNITS);
      for (int i = 0; i < probe.size(); i++) {
        Double v = probe.get(i);
        if (v == null || !Double.isFinite(v)) {
          throw new InvalidValueException("probe", "probe[" + i + "] finite required but was " + v);
        }
      }
      probe = List.copyOf(probe);
    }
    between("traceEvery", traceEvery, 1, MAX_EPOCHS);
    if (boundaryGrid == 0) boundaryGrid = DEFAULT_BOUNDARY_GRID;
    between("boundaryGrid", boundaryGrid, MIN_BOUNDARY_GRID, MAX_BOUNDARY_GRID);
    between("epochDelayMs", epochDelayMs, 0, MAX_EPOCH_DELAY_MS);
    if (name == null || name.isBlank()) name = derivedName(dataset, layers);
    if (name.length() > MAX_NAME_LENGTH) {
      throw new InvalidValueException(
          "name",
          "name of at most "
              + MAX_NAME_LENGTH
              + " characters required but was "
              + name.length()
              + " characters");
    }
  }

  private static String derivedName(String dataset, List<LayerSpec> layers) {
    return dataset
        + " "
        + layers.stream()
            .map(l -> l.units() + " " + l.activation())
            .collect(Collectors.joining(", ", "[", "]"));
  }

  /**
   * This config for a data set of {@code classes} classes: with the {@link #DEFAULT_LAYERS} the
   * output layer takes {@code classes} units (and a derived name follows), so the defaults train
   * every data set; layers the user chose are kept as they are, and validation names a mismatch.
   */
  public TrainingConfig fittedTo(int classes) {
    if (!layers.equals(DEFAULT_LAYERS) || classes == layers.get(layers.size() - 1).units()) {
      return this;
    }
    List<LayerSpec> fitted = new ArrayList<>(layers);
    LayerSpec out = fitted.get(fitted.size() - 1);
    fitted.set(fitted.size() - 1, LayerSpec.of(classes, out.activation()));
    Builder b = toBuilder().layers(fitted);
    if (name.equals(derivedName(dataset, layers))) b.name(null);
    return b.build();
  }

  /** The reference configuration. */
  public static TrainingConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.name = name;
    b.dataset = dataset;
    b.samples = samples;
    b.noise = noise;
    b.layers = new ArrayList<>(layers);
    b.loss = loss;
    b.optimizer = optimizer;
    b.initializer = initializer;
    b.epochs = epochs;
    b.batchSize = batchSize;
    b.validationSplit = validationSplit;
    b.seed = seed;
    b.weightDecay = weightDecay;
    b.probe = probe;
    b.traceEvery = traceEvery;
    b.boundaryGrid = boundaryGrid;
    b.epochDelayMs = epochDelayMs;
    b.batchEvents = batchEvents;
    return b;
  }

  /** Builds a config; every field starts at the reference network's default. */
  public static final class Builder {
    private String name = null;
    private String dataset = "iris";
    private int samples = 200;
    private double noise = 0.1;
    private List<LayerSpec> layers = DEFAULT_LAYERS;
    private String loss = "cross_entropy";
    private OptimizerConfig optimizer = OptimizerConfig.sgd(0.1);
    private String initializer = "he";
    private int epochs = 200;
    private int batchSize = 16;
    private double validationSplit = 0.2;
    private long seed = 42;
    private double weightDecay = 0;
    private List<Double> probe = null;
    private int traceEvery = 1;
    private int boundaryGrid = DEFAULT_BOUNDARY_GRID;
    private long epochDelayMs = 0;
    private boolean batchEvents = false;

    private Builder() {}

    public Builder name(String v) {
      name = v;
      return this;
    }

    public Builder dataset(String v) {
      dataset = v;
      return this;
    }

    public Builder samples(int v) {
      samples = v;
      return this;
    }

    public Builder noise(double v) {
      noise = v;
      return this;
    }

    public Builder layers(List<LayerSpec> v) {
      layers = v;
      return this;
    }

    public Builder layers(LayerSpec... v) {
      layers = List.of(v);
      return this;
    }

    public Builder loss(String v) {
      loss = v;
      return this;
    }

    public Builder optimizer(OptimizerConfig v) {
      optimizer = v;
      return this;
    }

    public Builder learningRate(double v) {
      OptimizerConfig o = optimizer;
      optimizer = new OptimizerConfig(o.type(), v, o.momentum(), o.beta1(), o.beta2(), o.epsilon());
      return this;
    }

    public Builder initializer(String v) {
      initializer = v;
      return this;
    }

    public Builder epochs(int v) {
      epochs = v;
      return this;
    }

    public Builder batchSize(int v) {
      batchSize = v;
      return this;
    }

    public Builder validationSplit(double v) {
      validationSplit = v;
      return this;
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public Builder weightDecay(double v) {
      weightDecay = v;
      return this;
    }

    public Builder probe(List<Double> v) {
      probe = v;
      return this;
    }

    public Builder traceEvery(int v) {
      traceEvery = v;
      return this;
    }

    public Builder boundaryGrid(int v) {
      boundaryGrid = v;
      return this;
    }

    public Builder epochDelayMs(long v) {
      epochDelayMs = v;
      return this;
    }

    public Builder batchEvents(boolean v) {
      batchEvents = v;
      return this;
    }

    public TrainingConfig build() {
      return new TrainingConfig(
          name,
          dataset,
          samples,
          noise,
          layers,
          loss,
          optimizer,
          initializer,
          epochs,
          batchSize,
          validationSplit,
          seed,
          weightDecay,
          probe,
          traceEvery,
          boundaryGrid,
          epochDelayMs,
          batchEvents);
    }
  }
}
