package dev.trainscope.bench;

import dev.trainscope.engine.RunControl;
import dev.trainscope.engine.Trainer;
import dev.trainscope.engine.config.LayerSpec;
import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.engine.event.TrainingEvent;
import java.util.Arrays;
import java.util.Locale;
import reactor.core.scheduler.Schedulers;

/**
 * What the {@code decision-boundary} map costs at the default trace rate (every epoch): a circles
 * run timed by its own {@code run-completed.durationMs}, with the default grid of 48 and with the
 * smallest grid, 8 (64 cells, about one mini-batch: it stands in for "no map", which 2-input runs
 * cannot turn off). Alternating, several repetitions, medians. Two workloads: the reference network
 * on 200 samples (the dashboard's case), and 8-8 tanh on 2000 samples.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.trainscope.bench.BoundaryCost [reps] [epochs]
 * </pre>
 */
public final class BoundaryCost {
  private BoundaryCost() {}

  static TrainingConfig small(int epochs, int grid) {
    return TrainingConfig.builder()
        .dataset("circles")
        .layers(LayerSpec.of(3, "relu"), LayerSpec.of(3, "sigmoid"), LayerSpec.of(2, "softmax"))
        .epochs(epochs)
        .boundaryGrid(grid)
        .build();
  }

  static TrainingConfig larger(int epochs, int grid) {
    return TrainingConfig.builder()
        .dataset("circles")
        .samples(2000)
        .layers(LayerSpec.of(8, "tanh"), LayerSpec.of(8, "tanh"), LayerSpec.of(2, "softmax"))
        .epochs(epochs)
        .boundaryGrid(grid)
        .build();
  }

  static long durationMs(TrainingConfig config) {
    Trainer trainer = new Trainer(Schedulers.immediate(), System::currentTimeMillis);
    TrainingEvent last =
        trainer.train("bench", config, Trainer.loadDataset(config), new RunControl()).blockLast();
    return ((TrainingEvent.RunCompleted) last).durationMs();
  }

  public static void main(String[] args) {
    int reps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    measure("reference network, 200 samples", reps, epochs, true);
    measure("8-8 tanh, 2000 samples", reps, epochs, false);
  }

  private static void measure(String name, int reps, int epochs, boolean small) {
    // One untimed round warms the JIT for both grid sizes.
    durationMs(small ? small(epochs, 8) : larger(epochs, 8));
    durationMs(small ? small(epochs, 48) : larger(epochs, 48));
    long[] without = new long[reps], with = new long[reps];
    for (int r = 0; r < reps; r++) {
      without[r] = durationMs(small ? small(epochs, 8) : larger(epochs, 8));
      with[r] = durationMs(small ? small(epochs, 48) : larger(epochs, 48));
    }
    double a = median(without), b = median(with);
    System.out.printf(
        Locale.ROOT,
        "%s, %d epochs traced every epoch: grid 8 %.0f ms, grid 48 %.0f ms, ratio %.3f (runs %s"
            + " / %s)%n",
        name,
        epochs,
        a,
        b,
        b / a,
        Arrays.toString(without),
        Arrays.toString(with));
  }

  private static double median(long[] v) {
    long[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
  }
}
