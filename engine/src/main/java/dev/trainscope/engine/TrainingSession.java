package dev.trainscope.engine;

import dev.trainscope.engine.InsightRules.Observation;
import dev.trainscope.engine.config.LayerSpec;
import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.engine.data.Dataset;
import dev.trainscope.engine.data.Split;
import dev.trainscope.engine.event.DataPoints;
import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.engine.event.TrainingEvent.Batch;
import dev.trainscope.engine.event.TrainingEvent.DatasetInfo;
import dev.trainscope.engine.event.TrainingEvent.Epoch;
import dev.trainscope.engine.event.TrainingEvent.Insight;
import dev.trainscope.engine.event.TrainingEvent.LayerInfo;
import dev.trainscope.engine.event.TrainingEvent.LayerStat;
import dev.trainscope.engine.event.TrainingEvent.LayerStats;
import dev.trainscope.engine.event.TrainingEvent.ModelInfo;
import dev.trainscope.engine.event.TrainingEvent.RunCompleted;
import dev.trainscope.engine.event.TrainingEvent.RunFailed;
import dev.trainscope.engine.event.TrainingEvent.RunStarted;
import dev.trainscope.engine.event.TrainingEvent.Status;
import dev.trainscope.engine.nn.Activation;
import dev.trainscope.engine.nn.DenseLayer;
import dev.trainscope.engine.nn.Loss;
import dev.trainscope.engine.nn.Matrix;
import dev.trainscope.engine.nn.Network;
import dev.trainscope.engine.nn.Optimizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One run's training, synchronously, on the calling thread: builds the network from the config,
 * trains epoch by epoch and hands each event to {@code sink}. Between epochs it honours the run
 * control; {@link Gate} makes it wait for demand and unwinds it on cancellation. What the events
 * report is computed by {@link Evaluator}, {@link ProbeTrace}, {@link LayerStatistics} and {@link
 * InsightRules}.
 */
final class TrainingSession {
  private final String runId;
  private final TrainingConfig config;
  private final Dataset data;
  private final LongSupplier clock;
  private final RunControl control;
  private final Gate gate;
  private final Consumer<TrainingEvent> sink;

  private final Split split;
  private final Network network;
  private final Optimizer optimizer;
  private final Random shuffleRandom;

  private ProbeTrace probe;
  private final InsightRules rules;
  private final EpochObservation observations;

  /** The decision-boundary map of a 2-input run, else null. */
  private final BoundaryMap boundary;

  private final WeightEditor editor;

  private final LayerStatistics layerStatistics;
  private final Evaluator evaluator;

  /** Reused every epoch: the sample order and the batch being trained. */
  private final int[] order;

  private final Matrix batchX, lastBatchX;
  private final int[] batchY, lastBatchY;
  private long seq;
  private int completedEpochs;
  private double loss = Double.NaN, accuracy = Double.NaN;
  private Double valLoss, valAccuracy;

  TrainingSession(
      String runId,
      TrainingConfig config,
      Dataset data,
      LongSupplier clock,
      RunControl control,
      Gate gate,
      Consumer<TrainingEvent> sink,
      Consumer<? super Network> initialWeights) {
    this.runId = runId;
    this.config = config;
    this.data = data;
    this.clock = clock;
    this.control = control;
    this.gate = gate;
    this.sink = sink;
    Trainer.validate(config, data);
    // Independent streams from the one seed: changing the batch order never changes the split.
    Random seedRandom = new Random(config.seed());
    this.split =
        Split.stratified(data, config.validationSplit(), new Random(seedRandom.nextLong()));
    this.network =
        Network.create(
            data.featureCount(),
            config.layers().stream().map(LayerSpec::units).toList(),
            config.layers().stream().map(l -> Activation.byName(l.activation())).toList(),
            Loss.byName(config.loss()),
            config.initializer(),
            new Random(seedRandom.nextLong()));
    initialWeights.accept(network);
    this.shuffleRandom = new Random(seedRandom.nextLong());
    this.optimizer = config.optimizer().newOptimizer(config.weightDecay());
    this.probe = ProbeTrace.of(network, data.classes(), config, split);
    this.rules = new InsightRules(data.classes().size());
    this.observations = new EpochObservation(data.classes().size());
    this.boundary = BoundaryMap.of(network, config.boundaryGrid(), data, split);
    this.editor = new WeightEditor(network);
    this.layerStatistics = new LayerStatistics(network);
    int n = split.trainY.length, features = split.trainX.cols;
    int batch = Math.min(config.batchSize(), n), last = n % batch == 0 ? batch : n % batch;
    this.order = new int[n];
    this.batchX = new Matrix(batch, features);
    this.batchY = new int[batch];
    this.lastBatchX = last == batch ? batchX : new Matrix(last, features);
    this.lastBatchY = last == batch ? batchY : new int[last];
    this.evaluator =
        new Evaluator(network, layerStatistics, Math.max(n, split.valY.length), features);
  }

  void run() {
    long start = clock.getAsLong();
    emit((id, seq, time) -> new RunStarted(id, seq, time, config, modelInfo(), datasetInfo()));
    EventBody<DataPoints> points = SamplePoints.of(split);
    if (points != null) emit(points);
    boolean pausedSaid = false;
    for (int epoch = 1; epoch <= config.epochs(); epoch++) {
      // Epoch boundary: honour pause, step and stop.
      applyEdits();
      while (control.isPaused() && !control.hasStep() && !control.isStopRequested()) {
        if (!pausedSaid) {
          emit((id, seq, time) -> new Status(id, seq, time, Status.PAUSED, completedEpochs));
          pausedSaid = true;
        }
        gate.awaitWhile(
            () ->
                control.isPaused()
                    && !control.hasStep()
                    && !control.isStopRequested()
                    && !control.hasEdit());
        applyEdits();
      }
      if (control.isStopRequested()) {
        emit((id, seq, time) -> new Status(id, seq, time, Status.STOPPED, completedEpochs));
        complete(start, true);
        return;
      }
      if (control.isPaused()) {
        control.takeStep();
      } else if (pausedSaid) {
        emit((id, seq, time) -> new Status(id, seq, time, Status.RESUMED, completedEpochs));
        pausedSaid = false;
      }
      if (!trainEpoch(epoch)) return;
      if (config.epochDelayMs() > 0 && epoch < config.epochs()) {
        gate.sleep(config.epochDelayMs(), () -> control.isStopRequested());
      }
    }
    complete(start, false);
  }

  /** Trains one epoch and emits its events; false when the run failed. */
  private boolean trainEpoch(int epoch) {
    long t0 = clock.getAsLong();
    int n = split.trainY.length;
    shuffle(order);
    int batches = (n + config.batchSize() - 1) / config.batchSize();
    // The epoch's training figures come from the batches' own forward passes, as Keras reports
    // them: each batch's mean loss weighted by its size, and the share of samples the network got
    // right while it trained on them. A second pass over the training set would add half again
    // to the arithmetic of every epoch.
    double lossSum = 0;
    int correct = 0;
    boolean traced = epoch == 1 || epoch == config.epochs() || epoch % config.traceEvery() == 0;
    for (int b = 0; b < batches; b++) {
      if (gate.isCancelled()) throw new Gate.Cancelled();
      int from = b * config.batchSize(), to = Math.min(n, from + config.batchSize());
      // Only the last step of a traced epoch feeds layer-stats (its update-to-weight ratio).
      TrainedBatch step = trainBatch(from, to, traced && b == batches - 1);
      if (!Double.isFinite(step.loss())) return fail(epoch, step.loss());
      lossSum += step.loss() * (to - from);
      correct += step.correct();
      if (config.batchEvents()) {
        int number = b + 1;
        emit((id, seq, time) -> new Batch(id, seq, time, epoch, number, batches, step.loss()));
      }
    }
    loss = lossSum / n;
    accuracy = (double) correct / n;
    if (!Double.isFinite(loss)) return fail(epoch, loss);
    List<LayerStat> validationStats = null;
    if (split.hasValidation()) {
      Evaluator.Evaluation val = evaluator.evaluate(split.valX, split.valY, traced);
      valLoss = Double.isFinite(val.loss()) ? val.loss() : null;
      valAccuracy = val.accuracy();
      validationStats = val.stats();
    }
    completedEpochs = epoch;
    long duration = clock.getAsLong() - t0;
    // Taken during validation when there was one: a traced epoch then costs no extra pass.
    List<LayerStat> stats =
        !traced
            ? null
            : validationStats != null ? validationStats : evaluator.statsOfFirstChunk(split.trainX);
    List<Observation> insights = rules.afterEpoch(epoch, loss, accuracy, valLoss, stats);
    String observation =
        observations.afterEpoch(epoch, loss, accuracy, valLoss, stats, rules.converged());
    emit(
        (id, seq, time) ->
            new Epoch(
                id,
                seq,
                time,
                epoch,
                config.epochs(),
                loss,
                accuracy,
                valLoss,
                valAccuracy,
                optimizer.learningRate(),
                duration,
                null,
                observation));
    if (traced) {
      emit(probe.trace(epoch));
      emit((id, seq, time) -> new LayerStats(id, seq, time, epoch, stats));
      if (boundary != null) emit(boundary.compute(epoch));
    }
    for (Observation o : insights) {
      emit(
          (id, seq, time) ->
              new Insight(id, seq, time, epoch, o.level(), o.code(), o.message(), o.layer()));
    }
    return true;
  }

  /**
   * Applies the queued hand edits, each recorded by a {@code weights-edited}, and a newly chosen
   * probe, then traces the network at once, so the next trace shows them without another epoch of
   * training.
   */
  private void applyEdits() {
    boolean any = false;
    for (WeightEdit edit = control.pollEdit(); edit != null; edit = control.pollEdit()) {
      try {
        edit.checkAgainst(modelInfo());
      } catch (dev.trainscope.engine.check.InvalidValueException outOfRange) {
        continue; // Callers check against the run's model first; a stray edit changes nothing.
      }
      emit(editor.apply(edit, completedEpochs));
      any = true;
    }
    ProbeChoice choice = control.pollProbe();
    boolean probeChanged = false;
    if (choice != null) {
      try {
        choice.checkAgainst(datasetInfo());
        probe = ProbeTrace.chosen(network, data.classes(), choice, split);
        probeChanged = true;
      } catch (dev.trainscope.engine.check.InvalidValueException outOfRange) {
        // As with edits: callers check first; a stray choice keeps the probe.
      }
    }
    if (any || probeChanged) emit(probe.trace(completedEpochs));
    if (any && boundary != null) emit(boundary.compute(completedEpochs));
  }

  /** A trained batch: its mean loss and how many of its samples the network got right. */
  private record TrainedBatch(double loss, int correct) {}

  /**
   * One step on samples [from, to) of this epoch's order, measured by the forward pass before the
   * step; takes no step when the loss is not finite.
   */
  private TrainedBatch trainBatch(int from, int to, boolean measureStep) {
    boolean full = to - from == batchY.length;
    Matrix x = full ? batchX : lastBatchX;
    int[] y = full ? batchY : lastBatchY;
    float[] trainX = split.trainX.data;
    int[] trainY = split.trainY;
    int cols = x.cols;
    for (int r = from; r < to; r++) {
      System.arraycopy(trainX, order[r] * cols, x.data, (r - from) * cols, cols);
      y[r - from] = trainY[order[r]];
    }
    Matrix out = network.forward(x);
    int correct = Evaluator.correctCount(out, y);
    TrainedBatch trained = new TrainedBatch(network.backward(y), correct);
    if (!Double.isFinite(trained.loss())) return trained;
    optimizer.beginStep();
    List<DenseLayer> layers = network.layers();
    for (int l = 0; l < layers.size(); l++) {
      double sq = optimizer.update(layers.get(l).weights, true, measureStep);
      optimizer.update(layers.get(l).biases, false, false);
      if (measureStep) layerStatistics.recordStep(l, Math.sqrt(sq));
    }
    return trained;
  }

  /** Ends the run with {@code run-failed} after an unexpected error. */
  void failInternally(String reason) {
    emit(
        (id, seq, time) ->
            new RunFailed(id, seq, time, completedEpochs, RunFailed.INTERNAL_ERROR, reason));
  }

  private boolean fail(int epoch, double badLoss) {
    String reason = InsightRules.divergedReason(epoch, badLoss, config.optimizer().learningRate());
    emit((id, seq, time) -> new Insight(id, seq, time, epoch, "error", "diverged", reason, null));
    emit((id, seq, time) -> new RunFailed(id, seq, time, epoch, RunFailed.DIVERGED, reason));
    return false;
  }

  private void complete(long start, boolean stopped) {
    boolean useVal = split.hasValidation();
    int[][] confusion =
        evaluator.confusion(
            useVal ? split.valX : split.trainX,
            useVal ? split.valY : split.trainY,
            data.classes().size());
    List<List<Integer>> matrix = new ArrayList<>();
    for (int[] row : confusion) matrix.add(Arrays.stream(row).boxed().toList());
    boolean trained = completedEpochs > 0;
    emit(
        (id, seq, time) ->
            new RunCompleted(
                id,
                seq,
                time,
                completedEpochs,
                trained ? loss : null,
                trained ? accuracy : null,
                trained ? valLoss : null,
                trained ? valAccuracy : null,
                matrix,
                useVal ? "validation" : "training",
                data.classes(),
                clock.getAsLong() - start,
                stopped));
  }

  private ModelInfo modelInfo() {
    List<LayerInfo> layers = new ArrayList<>();
    int i = 0;
    for (DenseLayer l : network.layers()) {
      layers.add(
          new LayerInfo(i++, l.inputs, l.units, l.activation.wireName(), l.parameterCount()));
    }
    return new ModelInfo(network.inputs(), layers, network.parameterCount(), config.loss());
  }

  private DatasetInfo datasetInfo() {
    return new DatasetInfo(
        data.name(),
        data.size(),
        data.featureCount(),
        data.featureNames(),
        data.classes(),
        split.trainY.length,
        split.valY.length);
  }

  /** Fisher-Yates over 0..n-1, the same draws as ever, into the reused array. */
  private void shuffle(int[] order) {
    int n = order.length;
    for (int i = 0; i < n; i++) order[i] = i;
    for (int i = n - 1; i > 0; i--) {
      int j = shuffleRandom.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  }

  /**
   * Gives the event its header, then waits for demand and hands it on. The header is made before
   * the wait, so an event's time is when it was made, and an event that fails to build takes no
   * demand.
   */
  private void emit(EventBody<?> body) {
    TrainingEvent event = body.withHeader(runId, seq, clock.getAsLong());
    gate.acquireDemand();
    seq++;
    sink.accept(event);
  }
}
