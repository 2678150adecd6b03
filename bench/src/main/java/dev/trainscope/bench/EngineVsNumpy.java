package dev.trainscope.bench;

import dev.trainscope.engine.RunControl;
import dev.trainscope.engine.Trainer;
import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.engine.data.Dataset;
import dev.trainscope.engine.nn.Kernels;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Figure 4: engine training speed against the numpy reference, both measured in this process's
 * session, alternating, several repetitions. Samples/s = epochs x training samples / wall time of
 * the whole run (subscribe to completion), as numpy_mlp.py computes it.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.trainscope.bench.EngineVsNumpy [iris|wide|both] [reps]
 *     [--numpy ../shared/bench/numpy_mlp.py] [--iris-epochs 2000] [--wide-epochs 3] [--warmup 3]
 * </pre>
 *
 * <p>Before the measured repetitions the engine runs the workload {@code --warmup} times
 * unmeasured, as JMH warms up: numpy has no JIT, and a 2,000-epoch Iris run lasts a fraction of a
 * second, so without it the figure is mostly the JIT compiling. The very first run (cold JVM) is
 * printed too.
 *
 * <p>The engine run is a plain {@code Trainer.train} Flux with one subscriber that counts events,
 * {@code traceEvery = epochs} (so only the first and last epochs emit activations/layer-stats) and
 * no batch events. Beyond numpy's work, the engine measures each batch's loss and accuracy (from
 * the forward pass it trains on), emits an epoch event and runs the insight rules every epoch; at
 * the end it computes a confusion matrix.
 */
public final class EngineVsNumpy {
  private static final Pattern SPS = Pattern.compile("([0-9,]+) samples/s");

  public static void main(String[] args) throws Exception {
    String which = "both";
    int reps = 5;
    String numpy = "../shared/bench/numpy_mlp.py";
    int irisEpochs = 2000, wideEpochs = 3, warmup = 3;
    List<String> positional = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--numpy" -> numpy = args[++i];
        case "--iris-epochs" -> irisEpochs = Integer.parseInt(args[++i]);
        case "--wide-epochs" -> wideEpochs = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        default -> positional.add(args[i]);
      }
    }
    if (positional.size() > 0) which = positional.get(0);
    if (positional.size() > 1) reps = Integer.parseInt(positional.get(1));
    if (!Files.exists(Path.of(numpy))) {
      System.out.println("numpy script not found at " + numpy + "; engine only");
      numpy = null;
    }
    System.out.printf(
        Locale.ROOT,
        "machine: %d cpus, max heap %d MB, %s %s%n",
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20,
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"));
    System.out.println("kernels: " + Kernels.describe());
    if (which.equals("iris") || which.equals("both")) {
      compare(
          "iris",
          Workloads.iris(irisEpochs, irisEpochs),
          Workloads.irisData(),
          numpy,
          irisEpochs,
          reps,
          warmup);
    }
    if (which.equals("wide") || which.equals("both")) {
      compare(
          "wide",
          Workloads.wide(wideEpochs, wideEpochs),
          Workloads.wideData(),
          numpy,
          wideEpochs,
          reps,
          warmup);
    }
  }

  static void compare(
      String name,
      TrainingConfig config,
      Dataset data,
      String numpy,
      int epochs,
      int reps,
      int warmup)
      throws Exception {
    // With a fast product installed, each repetition also trains on the exact Java kernels alone:
    // the before and after of the fast path, side by side with numpy in the same run.
    boolean both = Kernels.fast().isPresent() && !Kernels.exact();
    double cold = Double.NaN;
    for (int w = 0; w < warmup; w++) {
      double e = engineSamplesPerSecond(config, data);
      if (w == 0) cold = e;
      if (both) exactSamplesPerSecond(config, data);
    }
    if (warmup > 0) {
      System.out.printf(
          Locale.ROOT,
          "%s: %d unmeasured engine runs first (JIT warm-up); the first, in a cold JVM: %,.0f"
              + " samples/s%n",
          name,
          warmup,
          cold);
    }
    List<Double> engine = new ArrayList<>(), py = new ArrayList<>(), py1 = new ArrayList<>();
    List<Double> ratios = new ArrayList<>(), ratios1 = new ArrayList<>();
    List<Double> exact = new ArrayList<>(), exactRatios = new ArrayList<>();
    for (int r = 1; r <= reps; r++) {
      double p = numpy == null ? Double.NaN : runNumpy(numpy, name, epochs, null);
      double p1 = numpy == null ? Double.NaN : runNumpy(numpy, name, epochs, "1");
      double e = engineSamplesPerSecond(config, data);
      double cpu = lastCpuSamplesPerSecond;
      double x = both ? exactSamplesPerSecond(config, data) : Double.NaN;
      engine.add(e);
      py.add(p);
      py1.add(p1);
      ratios.add(e / p);
      ratios1.add(e / p1);
      exact.add(x);
      exactRatios.add(x / p);
      System.out.printf(
          Locale.ROOT,
          "%s rep %d: engine %,.0f samples/s (%,.0f per CPU-second) | numpy %,.0f samples/s (ratio %.2fx) | numpy with"
              + " OPENBLAS_NUM_THREADS=1 %,.0f samples/s (ratio %.2fx)%s  [load %.1f]%n",
          name,
          r,
          e,
          cpu,
          p,
          e / p,
          p1,
          e / p1,
          both
              ? String.format(
                  Locale.ROOT,
                  " | engine, exact kernels only %,.0f samples/s (ratio %.2fx)",
                  x,
                  x / p)
              : "",
          loadAverage());
    }
    System.out.printf(
        Locale.ROOT,
        "%s median of %d: engine %,.0f samples/s (first measured run: %,.0f) | numpy %,.0f"
            + " samples/s, median ratio %.2fx | numpy 1-thread BLAS %,.0f samples/s, median ratio"
            + " %.2fx%s%n",
        name,
        reps,
        median(engine),
        engine.get(0),
        median(py),
        median(ratios),
        median(py1),
        median(ratios1),
        both
            ? String.format(
                Locale.ROOT,
                " | exact kernels only %,.0f samples/s, median ratio %.2fx",
                median(exact),
                median(exactRatios))
            : "");
  }

  /** {@link #engineSamplesPerSecond} with every product on the exact Java kernels. */
  static double exactSamplesPerSecond(TrainingConfig config, Dataset data) {
    Kernels.exact(true);
    try {
      return engineSamplesPerSecond(config, data);
    } finally {
      Kernels.exact(false);
    }
  }

  static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** Samples per second of process CPU time (all threads) of the last engine run. */
  static volatile double lastCpuSamplesPerSecond;

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** One whole run: epochs x training samples / wall time from subscribe to completion. */
  public static double engineSamplesPerSecond(TrainingConfig config, Dataset data) {
    Scheduler scheduler = Schedulers.newSingle("bench-train");
    try {
      Trainer trainer = new Trainer(scheduler, System::currentTimeMillis);
      AtomicLong events = new AtomicLong();
      int trainSamples = data.size(); // validationSplit 0: every sample trains
      long t0 = System.nanoTime(), cpu0 = processCpuNanos();
      trainer
          .train("bench", config, data, new RunControl())
          .doOnNext(e -> events.incrementAndGet())
          .blockLast();
      double seconds = (System.nanoTime() - t0) / 1e9;
      lastCpuSamplesPerSecond =
          (double) config.epochs() * trainSamples / ((processCpuNanos() - cpu0) / 1e9);
      return (double) config.epochs() * trainSamples / seconds;
    } finally {
      scheduler.dispose();
    }
  }

  static double runNumpy(String script, String which, int epochs, String blasThreads)
      throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder("python3", script, which, Integer.toString(epochs))
            .redirectErrorStream(true);
    if (blasThreads != null) pb.environment().put("OPENBLAS_NUM_THREADS", blasThreads);
    Process p = pb.start();
    String out;
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      out = String.join("\n", in.lines().toList());
    }
    p.waitFor();
    Matcher m = SPS.matcher(out);
    if (!m.find()) throw new IllegalStateException("unexpected numpy output: " + out);
    return Double.parseDouble(m.group(1).replace(",", ""));
  }

  static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    Collections.sort(s);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }
}
