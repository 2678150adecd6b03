package dev.trainscope.bench;

import dev.trainscope.engine.nn.Matrix;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The three products of the wide network's first layers (batch 64), engine kernels against the
 * original triple loops ({@link NaiveKernels}). Microseconds per product; MACs per product: forward
 * 64x784x256 = 12.8 M, weight gradient 784x64x256 = 12.8 M, input gradient 64x128x256 = 2.1 M.
 *
 * <pre>java -jar bench/target/benchmarks.jar MatrixBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MatrixBenchmark {
  @Param({"engine", "naive"})
  public String kernel;

  Matrix x, w1, dz1, out1, gw1, dz2, w2, dx2;
  float[] bias;

  @Setup
  public void setup() {
    Random r = new Random(1);
    x = KernelProbe.rnd(r, 64, 784, 0);
    w1 = KernelProbe.rnd(r, 784, 256, 0);
    dz1 = KernelProbe.rnd(r, 64, 256, 0.5);
    dz2 = KernelProbe.rnd(r, 64, 128, 0.5);
    w2 = KernelProbe.rnd(r, 256, 128, 0);
    out1 = new Matrix(64, 256);
    gw1 = new Matrix(784, 256);
    dx2 = new Matrix(64, 256);
    bias = new float[256];
  }

  @Benchmark
  public Matrix forward64x784x256() {
    if (kernel.equals("engine")) Matrix.multiplyAdd(x, w1, bias, out1);
    else NaiveKernels.multiplyAdd(x, w1, bias, out1);
    return out1;
  }

  @Benchmark
  public Matrix weightGradient784x64x256() {
    if (kernel.equals("engine")) Matrix.transposeAMultiply(x, dz1, gw1);
    else NaiveKernels.transposeAMultiply(x, dz1, gw1);
    return gw1;
  }

  @Benchmark
  public Matrix inputGradient64x128x256() {
    if (kernel.equals("engine")) Matrix.multiplyTransposeB(dz2, w2, dx2);
    else NaiveKernels.multiplyTransposeB(dz2, w2, dx2);
    return dx2;
  }
}
