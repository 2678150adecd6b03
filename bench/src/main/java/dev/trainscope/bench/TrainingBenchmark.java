package dev.trainscope.bench;

import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.engine.data.Dataset;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Whole runs through {@code Trainer.train}, as figure 4 counts them, in JMH's steady state: Iris
 * 200 epochs (30,000 samples) and the wide network 1 epoch (8,192 samples). Samples/s = samples per
 * run / seconds per run.
 *
 * <pre>java -jar bench/target/benchmarks.jar TrainingBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
public class TrainingBenchmark {
  TrainingConfig iris, wide;
  Dataset irisData, wideData;

  @Setup
  public void setup() {
    iris = Workloads.iris(200, 200);
    irisData = Workloads.irisData();
    wide = Workloads.wide(1, 1);
    wideData = Workloads.wideData();
  }

  @Benchmark
  @Warmup(iterations = 5, time = 1)
  @Measurement(iterations = 5, time = 2)
  public double iris200Epochs() {
    return EngineVsNumpy.engineSamplesPerSecond(iris, irisData);
  }

  @Benchmark
  @Warmup(iterations = 2, time = 1)
  @Measurement(iterations = 3, time = 5)
  public double wide1Epoch() {
    return EngineVsNumpy.engineSamplesPerSecond(wide, wideData);
  }
}
