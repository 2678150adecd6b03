package dev.trainscope.engine.event;

import static dev.trainscope.engine.check.Require.nonBlank;
import static dev.trainscope.engine.check.Require.nonNull;

import dev.trainscope.engine.check.InvalidValueException;
import dev.trainscope.engine.config.TrainingConfig;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One step of a training run, as it goes on the wire. Every event carries the run's id, its
 * sequence number within the run (0, 1, 2, ... without gaps) and the time it was emitted (epoch
 * milliseconds). The wire name of each type is {@link #type()}.
 *
 * <p>Per epoch the engine emits, in this order: {@code batch}* (only when asked), {@code epoch},
 * then on traced epochs {@code activations} and {@code layer-stats}, then any {@code insight}s,
 * then {@code status} when the run pauses. A run starts with {@code run-started} and ends with
 * {@code run-completed} (also after a stop, preceded by {@code status stopped}) or {@code
 * run-failed}.
 *
 * <p>On traced epochs of 2-input runs a {@code decision-boundary} follows {@code layer-stats}.
 * While paused, a hand edit emits {@code weights-edited}, then a fresh {@code activations} (and
 * {@code decision-boundary}).
 *
 * <p>The {@code permits} clause is the one list of event types: {@link #TYPES}, the JSON codec and
 * the server's lists of types follow from it. A new type is a record here with a {@code TYPE}
 * constant, named in {@code permits} (the compiler refuses a record that is not).
 */
public sealed interface TrainingEvent
    permits TrainingEvent.RunStarted,
        TrainingEvent.Epoch,
        TrainingEvent.Activations,
        TrainingEvent.LayerStats,
        TrainingEvent.Insight,
        TrainingEvent.Batch,
        TrainingEvent.Status,
        TrainingEvent.RunCompleted,
        TrainingEvent.RunFailed,
        DataPoints,
        DecisionBoundary,
        WeightsEdited {

  /** The wire names of all event types (each record's {@code TYPE}), in {@code permits} order. */
  List<String> TYPES = EventTypes.names();

  /** Each event type's record, by its wire name, in {@link #TYPES} order. */
  static Map<String, Class<? extends TrainingEvent>> recordsByType() {
    return EventTypes.recordsByType();
  }

  String runId();

  long seq();

  long time();

  /** The wire name of this event's type, e.g. {@code "epoch"}. */
  String type();

  /** True for the events after which a run emits nothing more. */
  default boolean isTerminal() {
    return this instanceof RunCompleted || this instanceof RunFailed;
  }

  /** This event with another sequence number and time (used when re-sequencing pushed events). */
  TrainingEvent withSeqAndTime(long seq, long time);

  private static void header(String runId, long seq, long time) {
    Header.check(runId, seq, time);
  }

  /** The header's checks, shared with the event records in their own files. */
  final class Header {
    private Header() {}

    static void check(String runId, long seq, long time) {
      nonBlank("runId", runId);
      if (seq < 0) throw new InvalidValueException("seq", "seq >= 0 required but was " + seq);
      if (time < 0) throw new InvalidValueException("time", "time >= 0 required but was " + time);
    }

    static List<Double> finiteList(String field, List<Double> values) {
      nonNull(field, values);
      for (int i = 0; i < values.size(); i++) {
        Double v = values.get(i);
        if (v == null || !Double.isFinite(v)) {
          throw new InvalidValueException(
              field, field + "[" + i + "] finite required but was " + v);
        }
      }
      return List.copyOf(values);
    }
  }

  private static Double finiteOrNull(String field, Double value) {
    if (value != null && !Double.isFinite(value)) {
      throw new InvalidValueException(field, field + " finite required but was " + value);
    }
    return value;
  }

  private static List<Double> finiteList(String field, List<Double> values) {
    return Header.finiteList(field, values);
  }

  /** The run begins: what is trained, on what. */
  record RunStarted(
      String runId,
      long seq,
      long time,
      TrainingConfig config,
      ModelInfo model,
      DatasetInfo dataset)
      implements TrainingEvent {
    public static final String TYPE = "run-started";

    public RunStarted {
      header(runId, seq, time);
      nonNull("model", model);
    }

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public RunStarted withSeqAndTime(long seq, long time) {
      return new RunStarted(runId, seq, time, config, model, dataset);
    }
  }

  /**
   * Metrics at the end of an epoch. Validation figures are null when there is no validation set. In
   * engine runs, as in Keras, {@code loss} and {@code accuracy} are those of the epoch's training
   * batches, taken from the forward pass each batch trains on (the batch means, weighted by batch
   * size), while the weights were still changing; {@code valLoss} and {@code valAccuracy} are
   * evaluated on the validation set after the epoch, with its final weights. {@code observation} is
   * one sentence on what changed since the last epoch and why it matters (engine runs always set
   * it; pushed epochs may).
   */
  record Epoch(
      String runId,
      long seq,
      long time,
      int epoch,
      int epochs,
      Double loss,
      Double accuracy,
      Double valLoss,
      Double valAccuracy,
      Double learningRate,
      long durationMs,
      Map<String, Double> metrics,
      String observation)
      implements TrainingEvent {
    public static final String TYPE = "epoch";

    /** An epoch without an observation (pushed epochs may omit it). */
    public Epoch(
        String runId,
        long seq,
        long time,
        int epoch,
        int epochs,
        Double loss,
        Double accuracy,
        Double valLoss,
        Double valAccuracy,
        Double learningRate,
        long durationMs,
        Map<String, Double> metrics) {
      this(
          runId,
          seq,
          time,
          epoch,
          epochs,
          loss,
          accuracy,
          valLoss,
          valAccuracy,
          learningRate,
          durationMs,
          metrics,
          null);
    }

    public Epoch {
      header(runId, seq, time);
      if (epoch < 1)
        throw new InvalidValueException("epoch", "epoch >= 1 required but was " + epoch);
      finiteOrNull("loss", loss);
      finiteOrNull("accuracy", accuracy);
      finiteOrNull("valLoss", valLoss);
      finiteOrNull("valAccuracy", valAccuracy);
      finiteOrNull("learningRate", learningRate);
      metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
      if (observation != null && observation.isBlank()) observation = null;
    }

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public Epoch withSeqAndTime(long seq, long time) {
      return new Epoch(
          runId,
          seq,
          time,
          epoch,
          epochs,
          loss,
          accuracy,
          valLoss,
          valAccuracy,
          learningRate,
          durationMs,
          metrics,
          observation);
    }
  }

  /**
   * The probe sample's trip through the network: its input, then per layer the linear output {@code
   * z = xW + b} and the activation output {@code a = f(z)}, then the class probabilities. {@code
   * label} is set when the probe is a sample of the data set.
   */
  record Activations(
      String runId,
      long seq,
      long time,
      int epoch,
      List<Double> input,
      List<LayerTrace> layers,
      List<Double> probabilities,
      int predicted,
      String predictedClass,
      Integer label,
      String labelClass)
      implements TrainingEvent {
    public static final String TYPE = "activations";

    public Activations {
      header(runId, seq, time);
      input = finiteList("input", input);
      layers = List.copyOf(nonNull("layers", layers));
      probabilities = finiteList("probabilities", probabilities);
    }

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public Activations withSeqAndTime(long seq, long time) {
      return new Activations(
          runId,
          seq,
          time,
          epoch,
          input,
          layers,
          probabilities,
          predicted,
          predictedClass,
          label,
          labelClass);
    }
  }

  /**
   * One layer of a probe trace: {@code linear} is z, {@code output} is f(z). {@code weights}, as
   * {@code [unit][input]}, is included for layers of at most {@link #MAX_TRACED_WEIGHTS} weights
   * (so a dashboard can draw the network's edges) and null for larger ones.
   */
  record LayerTrace(
      int index,
      String activation,
      int inputs,
      int units,
      List<Double> linear,
      List<Double> output,
      List<List<Double>> weights) {
    public static final int MAX_TRACED_WEIGHTS = 1024;

    public LayerTrace {
      linear = finiteList("linear", linear);
      output = finiteList("output", output);
      if (weights != null) weights = weights.stream().map(r -> finiteList("weights", r)).toList();
    }
  }

  /**
   * Per-layer statistics of weights, gradients and activations at the end of an epoch; the
   * activations are those of up to 256 validation samples (training samples in a run without
   * validation).
   */
  record LayerStats(String runId, long seq, long time, int epoch, List<LayerStat> layers)
      implements TrainingEvent {
    public static final String TYPE = "layer-stats";

    public LayerStats {
      header(runId, seq, time);
      layers = List.copyOf(nonNull("layers", layers));
    }

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public LayerStats withSeqAndTime(long seq, long time) {
      return new LayerStats(runId, seq, time, epoch, layers);
    }
  }

  /**
   * Statistics of one layer. {@code deadFraction} (ReLU layers only) is the fraction of outputs
   * exactly zero and {@code deadUnits} the units that were zero for every sample; {@code
   * saturatedFraction} (sigmoid layers only) the fraction of outputs below 0.01 or above 0.99;
   * {@code updateRatio} is |learning step| / |weights| (both Frobenius norms) of the last batch.
   */
  record LayerStat(
      int index,
      String activation,
      int units,
      Summary weights,
      Summary biases,
      Summary gradients,
      Summary activations,
      Double deadFraction,
      Integer deadUnits,
      Double saturatedFraction,
      double updateRatio) {}

  /** Mean, standard deviation, range and a histogram of equal-width bins over [min, max]. */
  record Summary(
      long count, double mean, double std, double min, double max, List<Integer> histogram) {
    public Summary {
      histogram = List.copyOf(histogram);
    }
  }

  /** A rule-based observation a student can read: loss decreasing, overfitting, dead ReLUs... */
  record Insight(
      String runId,
      long seq,
      long time,
      int epoch,
      String level,
      String code,
      String message,
      Integer layer)
      implements TrainingEvent {
    public static final String TYPE = "insight";
    public static final Set<String> LEVELS = Set.of("info", "success", "warning", "error");

    public Insight {
      header(runId, seq, time);
      if (!LEVELS.contains(level)) {
        throw new InvalidValueException(
            "level", "level one of " + LEVELS + " required but was " + level);
      }
      nonBlank("code", code);
      nonBlank("message", message);
    }

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public Insight withSeqAndTime(long seq, long time) {
      return new Insight(runId, seq, time, epoch, level, code, message, layer);
    }
  }

  /** Loss of one mini-batch (only when the config asks for batch events). */
  record Batch(String runId, long seq, long time, int epoch, int batch, int batches, double loss)
      implements TrainingEvent {
    public static final String TYPE = "batch";

    public Batch {
      header(runId, seq, time);
      if (!Double.isFinite(loss)) {
        throw new InvalidValueException("loss", "loss finite required but was " + loss);
      }
    }

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public Batch withSeqAndTime(long seq, long time) {
      return new Batch(runId, seq, time, epoch, batch, batches, loss);
    }
  }

  /**
   * A change of the run's state: {@code paused}, {@code resumed}, {@code stopped}, or {@code
   * interrupted} (written by a server that found the run unfinished after a crash). {@code epoch}
   * is the last completed epoch.
   */
  record Status(String runId, long seq, long time, String state, int epoch)
      implements TrainingEvent {
    public static final String TYPE = "status";
    public static final String PAUSED = "paused";
    public static final String RESUMED = "resumed";
    public static final String STOPPED = "stopped";
    public static final String INTERRUPTED = "interrupted";
    public static final Set<String> STATES = Set.of(PAUSED, RESUMED, STOPPED, INTERRUPTED);

    public Status {
      header(runId, seq, time);
      if (!STATES.contains(state)) {
        throw new InvalidValueException(
            "state", "state one of " + STATES + " required but was " + state);
      }
    }

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public boolean isTerminal() {
      return INTERRUPTED.equals(state);
    }

    @Override
    public Status withSeqAndTime(long seq, long time) {
      return new Status(runId, seq, time, state, epoch);
    }
  }

  /**
   * The run ended normally, or after a stop ({@code stopped} true). The confusion matrix (rows:
   * actual class, columns: predicted) is computed on the validation set, or on the training set
   * when there is none ({@code confusionSet} says which).
   */
  record RunCompleted(
      String runId,
      long seq,
      long time,
      int epochs,
      Double loss,
      Double accuracy,
      Double valLoss,
      Double valAccuracy,
      List<List<Integer>> confusionMatrix,
      String confusionSet,
      List<String> classes,
      long durationMs,
      boolean stopped)
      implements TrainingEvent {
    public static final String TYPE = "run-completed";

    public RunCompleted {
      header(runId, seq, time);
      finiteOrNull("loss", loss);
      finiteOrNull("accuracy", accuracy);
      finiteOrNull("valLoss", valLoss);
      finiteOrNull("valAccuracy", valAccuracy);
      confusionMatrix =
          confusionMatrix == null ? List.of() : confusionMatrix.stream().map(List::copyOf).toList();
      classes = classes == null ? List.of() : List.copyOf(classes);
    }

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public RunCompleted withSeqAndTime(long seq, long time) {
      return new RunCompleted(
          runId,
          seq,
          time,
          epochs,
          loss,
          accuracy,
          valLoss,
          valAccuracy,
          confusionMatrix,
          confusionSet,
          classes,
          durationMs,
          stopped);
    }
  }

  /** The run could not go on; {@code reason} says why in words. */
  record RunFailed(String runId, long seq, long time, int epoch, String code, String reason)
      implements TrainingEvent {
    public static final String TYPE = "run-failed";

    /** The loss became NaN or infinite: the learning rate is usually too high. */
    public static final String DIVERGED = "diverged";

    /** The trainer or the server hit an unexpected error (a bug to report). */
    public static final String INTERNAL_ERROR = "internal-error";

    /** The run's log could not be written (disk full, I/O error). */
    public static final String STORAGE_ERROR = "storage-error";

    /** An external trainer ended its run as failed without naming a code. */
    public static final String EXTERNAL_FAILURE = "external-failure";

    public RunFailed {
      header(runId, seq, time);
      nonBlank("code", code);
      nonBlank("reason", reason);
    }

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public RunFailed withSeqAndTime(long seq, long time) {
      return new RunFailed(runId, seq, time, epoch, code, reason);
    }
  }

  /** The network's shape. */
  record ModelInfo(int inputs, List<LayerInfo> layers, int parameters, String loss) {
    public ModelInfo {
      layers = List.copyOf(layers);
    }
  }

  record LayerInfo(int index, int inputs, int units, String activation, int parameters) {}

  /** The data set as trained: sizes after the split. */
  record DatasetInfo(
      String name,
      int samples,
      int features,
      List<String> featureNames,
      List<String> classes,
      int trainSize,
      int validationSize) {
    public DatasetInfo {
      featureNames = List.copyOf(featureNames);
      classes = List.copyOf(classes);
    }
  }
}
