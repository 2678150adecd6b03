package dev.trainscope.bench;

import dev.trainscope.engine.RunControl;
import dev.trainscope.engine.Trainer;
import dev.trainscope.engine.config.LayerSpec;
import dev.trainscope.engine.config.OptimizerConfig;
import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.engine.data.Dataset;
import dev.trainscope.engine.event.DataPoints;
import dev.trainscope.engine.event.DecisionBoundary;
import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.engine.nn.Kernels;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.core.scheduler.Schedulers;

/**
 * Bit-exact fingerprints of whole runs: SHA-256 over every event's {@code toString()} (records
 * print doubles with {@link Double#toString}, which round-trips exactly) under a fixed clock. A
 * performance change to the engine must leave every fingerprint unchanged: same seed, same numbers,
 * to the last bit. {@code java -cp bench/target/benchmarks.jar dev.trainscope.bench.EventDigest}
 * prints them.
 */
public final class EventDigest {
  private EventDigest() {}

  /**
   * Small runs that together cover every activation, loss, optimizer and chunk boundary, on the
   * exact Java kernels: the wide-1000 run's large products would otherwise run on a native BLAS
   * where one is installed, whose bits depend on the machine (see {@link Kernels}).
   */
  public static Map<String, String> digests() {
    boolean wasExact = Kernels.exact();
    Kernels.exact(true);
    try {
      return digestsOfTheCurrentKernels();
    } finally {
      Kernels.exact(wasExact);
    }
  }

  /** The same runs on whichever kernels are in force. */
  static Map<String, String> digestsOfTheCurrentKernels() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("iris-reference", digest(Workloads.iris(60, 1), Workloads.irisData()));
    out.put(
        "iris-split-batch-events",
        digest(
            TrainingConfig.builder().epochs(20).traceEvery(3).batchEvents(true).build(),
            Workloads.irisData()));
    TrainingConfig spiral =
        TrainingConfig.builder()
            .dataset("spiral")
            .samples(700)
            .layers(
                LayerSpec.of(9, "tanh"),
                LayerSpec.of(7, "leaky_relu"),
                LayerSpec.of(5, "linear"),
                LayerSpec.of(2, "softmax"))
            .optimizer(OptimizerConfig.adam(0.01))
            .weightDecay(0.001)
            .initializer("glorot")
            .batchSize(10)
            .epochs(15)
            .traceEvery(4)
            .build();
    out.put("spiral-adam", digest(spiral, Trainer.loadDataset(spiral)));
    TrainingConfig blobs =
        TrainingConfig.builder()
            .dataset("blobs")
            .samples(300)
            .layers(LayerSpec.of(6, "sigmoid"), LayerSpec.of(3, "softmax"))
            .loss("mse")
            .optimizer(OptimizerConfig.momentum(0.05, 0.9))
            .batchSize(7)
            .epochs(12)
            .traceEvery(5)
            .build();
    out.put("blobs-mse-momentum", digest(blobs, Trainer.loadDataset(blobs)));
    TrainingConfig wideSmall =
        TrainingConfig.builder()
            .dataset("wide-small")
            .layers(LayerSpec.of(40, "relu"), LayerSpec.of(24, "relu"), LayerSpec.of(10, "softmax"))
            .optimizer(OptimizerConfig.sgd(0.01))
            .batchSize(64)
            .validationSplit(0.1)
            .epochs(3)
            .traceEvery(2)
            .build();
    out.put("wide-small", digest(wideSmall, Workloads.randomData("wide-small", 1100, 70, 10, 3)));
    TrainingConfig wide =
        Workloads.wide(2, 1).toBuilder().dataset("wide-1000").validationSplit(0.2).build();
    out.put("wide-1000", digest(wide, Workloads.randomData("wide-1000", 1000, 784, 10, 5)));
    return out;
  }

  /**
   * The event as it was when the digests were recorded: traces have since gained the weights of
   * small layers, epochs an observation and configs a boundary grid, which are left out here so the
   * digests keep pinning the recorded numbers.
   */
  static String asRecorded(TrainingEvent e) {
    if (e instanceof TrainingEvent.Epoch p) {
      return p.toString().replace(", observation=" + p.observation() + "]", "]");
    }
    if (e instanceof TrainingEvent.RunStarted r && r.config() != null) {
      return r.toString().replace(", boundaryGrid=" + r.config().boundaryGrid(), "");
    }
    if (!(e instanceof TrainingEvent.Activations a)) return e.toString();
    List<TrainingEvent.LayerTrace> layers =
        a.layers().stream()
            .map(
                l ->
                    new TrainingEvent.LayerTrace(
                        l.index(),
                        l.activation(),
                        l.inputs(),
                        l.units(),
                        l.linear(),
                        l.output(),
                        null))
            .toList();
    return new TrainingEvent.Activations(
            a.runId(),
            a.seq(),
            a.time(),
            a.epoch(),
            a.input(),
            layers,
            a.probabilities(),
            a.predicted(),
            a.predictedClass(),
            a.label(),
            a.labelClass())
        .toString()
        .replace(", weights=null]", "]");
  }

  public static String digest(TrainingConfig config, Dataset data) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    Trainer trainer = new Trainer(Schedulers.immediate(), () -> 0L);
    // Decision-boundary maps and data points came later: left out, and the events after them
    // numbered as before.
    long[] skipped = {0};
    trainer
        .train("digest", config, data, new RunControl())
        .doOnNext(
            e -> {
              if (e instanceof DecisionBoundary || e instanceof DataPoints) {
                skipped[0]++;
                return;
              }
              TrainingEvent renumbered = e.withSeqAndTime(e.seq() - skipped[0], e.time());
              sha.update(asRecorded(renumbered).getBytes(StandardCharsets.UTF_8));
              sha.update((byte) '\n');
            })
        .blockLast();
    return HexFormat.of().formatHex(sha.digest());
  }

  public static void main(String[] args) {
    digests().forEach((k, v) -> System.out.println(k + " " + v));
  }
}
