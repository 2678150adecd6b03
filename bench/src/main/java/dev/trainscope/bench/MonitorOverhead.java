package dev.trainscope.bench;

import dev.trainscope.engine.RunControl;
import dev.trainscope.engine.Trainer;
import dev.trainscope.engine.config.LayerSpec;
import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.server.ServerConfig;
import dev.trainscope.server.TrainscopeServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;

/**
 * Figure 3, monitoring overhead: one training run that takes tens of seconds, measured three ways,
 * alternating, several repetitions, by the engine's own {@code run-completed.durationMs}:
 *
 * <ol>
 *   <li><b>bare</b>: the engine alone in this JVM, tracing off ({@code traceEvery = epochs}: only
 *       the first and last epochs are traced, which the engine always does), one subscriber that
 *       drops every event;
 *   <li><b>traced</b>: the same, {@code traceEvery = 1} ({@code activations} and {@code
 *       layer-stats} every epoch), still no server;
 *   <li><b>served</b>: the same traced run started through the server's REST API ({@code POST
 *       /api/runs}) in this JVM, written to its log, with N SSE subscribers (default 10, reactor-
 *       netty, loopback) reading it live from the first event to the last; every subscriber must
 *       receive every event.
 * </ol>
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.trainscope.bench.MonitorOverhead [reps] [epochs]
 *     [subscribers]
 * </pre>
 */
public final class MonitorOverhead {
  private static final Pattern DURATION = Pattern.compile("\"durationMs\":(\\d+)");
  private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");

  static TrainingConfig config(int epochs, int traceEvery) {
    return TrainingConfig.builder()
        .dataset("spiral")
        .samples(10_000)
        .layers(
            LayerSpec.of(128, "relu"),
            LayerSpec.of(128, "relu"),
            LayerSpec.of(64, "relu"),
            LayerSpec.of(2, "softmax"))
        .learningRate(0.05)
        .batchSize(32)
        .epochs(epochs)
        .traceEvery(traceEvery)
        .build();
  }

  static String json(int epochs) {
    return "{\"dataset\":\"spiral\",\"samples\":10000,\"layers\":["
        + "{\"units\":128,\"activation\":\"relu\"},{\"units\":128,\"activation\":\"relu\"},"
        + "{\"units\":64,\"activation\":\"relu\"},{\"units\":2,\"activation\":\"softmax\"}],"
        + "\"optimizer\":{\"learningRate\":0.05},\"batchSize\":32,\"epochs\":"
        + epochs
        + ",\"traceEvery\":1}";
  }

  public static void main(String[] args) throws Exception {
    int reps = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    int subscribers = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    System.out.printf(
        Locale.ROOT,
        "machine: %d cpus, max heap %d MB; run: spiral 10,000 samples (8,000 train), 2-128-128-64-2,"
            + " batch 32, %d epochs; %d subscribers%n",
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20,
        epochs,
        subscribers);
    Path dir = Files.createTempDirectory("trainscope-bench-");
    List<Long> bare = new ArrayList<>(), traced = new ArrayList<>(), served = new ArrayList<>();
    List<Long> bareCpu = new ArrayList<>(), tracedCpu = new ArrayList<>();
    List<Long> servedCpu = new ArrayList<>(), servedProcessCpu = new ArrayList<>();
    try (TrainscopeServer server =
        TrainscopeServer.start(ServerConfig.builder().port(0).dataDir(dir).build())) {
      HttpClient http = HttpClient.create().baseUrl("http://127.0.0.1:" + server.port());
      inProcess(config(2, 2)); // warm-up: JIT the kernels before the first measured run
      for (int r = 1; r <= reps; r++) {
        long b = inProcess(config(epochs, epochs));
        long bc = lastTrainCpuMs;
        long t = inProcess(config(epochs, 1));
        long tc = lastTrainCpuMs;
        long p0 = EngineVsNumpy.processCpuNanos();
        long s = throughServer(http, epochs, subscribers);
        long sc = lastTrainCpuMs, pc = (EngineVsNumpy.processCpuNanos() - p0) / 1_000_000;
        bare.add(b);
        traced.add(t);
        served.add(s);
        bareCpu.add(bc);
        tracedCpu.add(tc);
        servedCpu.add(sc);
        servedProcessCpu.add(pc);
        System.out.printf(
            Locale.ROOT,
            "rep %d: wall: bare %,d ms | traced %,d ms (%+.1f%%) | served + %d SSE subscribers %,d"
                + " ms (%+.1f%%); training-thread CPU: bare %,d ms | traced %,d ms (%+.1f%%) |"
                + " served %,d ms (%+.1f%%); whole process CPU while served: %,d ms  [load %.1f]%n",
            r,
            b,
            t,
            100.0 * (t - b) / b,
            subscribers,
            s,
            100.0 * (s - b) / b,
            bc,
            tc,
            100.0 * (tc - bc) / bc,
            sc,
            100.0 * (sc - bc) / bc,
            pc,
            EngineVsNumpy.loadAverage());
      }
    } finally {
      Workloads.deleteTree(dir);
    }
    double mb = median(bare), mt = median(traced), ms = median(served);
    System.out.printf(
        Locale.ROOT,
        "median of %d, wall: bare %,.0f ms | traced %,.0f ms (%+.1f%%) | served + %d SSE"
            + " subscribers %,.0f ms (%+.1f%% vs bare)%n",
        reps,
        mb,
        mt,
        100 * (mt - mb) / mb,
        subscribers,
        ms,
        100 * (ms - mb) / mb);
    double cb = median(bareCpu), ct = median(tracedCpu), cs = median(servedCpu);
    System.out.printf(
        Locale.ROOT,
        "median of %d, training-thread CPU: bare %,.0f ms | traced %,.0f ms (%+.1f%%) | served"
            + " %,.0f ms (%+.1f%% vs bare); whole process CPU while served (server, log, %d"
            + " subscribers' parsing): %,.0f ms%n",
        reps,
        cb,
        ct,
        100 * (ct - cb) / cb,
        cs,
        100 * (cs - cb) / cb,
        subscribers,
        median(servedProcessCpu));
  }

  /** CPU time of the training thread(s) of the last run, in ms. */
  static volatile long lastTrainCpuMs;

  /** Total CPU time so far of live threads whose name starts with {@code prefix}, by thread. */
  static java.util.Map<Long, Long> threadCpu(String prefix) {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    java.util.Map<Long, Long> out = new java.util.HashMap<>();
    for (java.lang.management.ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith(prefix)) {
        long t = mx.getThreadCpuTime(info.getThreadId());
        if (t >= 0) out.put(info.getThreadId(), t);
      }
    }
    return out;
  }

  static long cpuDeltaMs(java.util.Map<Long, Long> before, java.util.Map<Long, Long> after) {
    long sum = 0;
    for (var e : after.entrySet()) sum += e.getValue() - before.getOrDefault(e.getKey(), 0L);
    return sum / 1_000_000;
  }

  /** The engine alone; returns run-completed.durationMs. */
  static long inProcess(TrainingConfig config) {
    Scheduler scheduler = Schedulers.newSingle("bench-train");
    try {
      var before = threadCpu("bench-train");
      TrainingEvent last =
          new Trainer(scheduler, System::currentTimeMillis)
              .train("bench", config, Trainer.loadDataset(config), new RunControl())
              .blockLast();
      lastTrainCpuMs = cpuDeltaMs(before, threadCpu("bench-train"));
      return ((TrainingEvent.RunCompleted) last).durationMs();
    } finally {
      scheduler.dispose();
    }
  }

  /** Starts the run through the API, follows it with N SSE clients; returns durationMs. */
  static long throughServer(HttpClient http, int epochs, int subscribers) throws Exception {
    var before = threadCpu("trainscope-train");
    String uri = "/api/runs/" + BenchRuns.start(http, json(epochs)) + "/events";
    List<SseClient> clients = new ArrayList<>();
    AtomicLong duration = new AtomicLong(-1), lastSeq = new AtomicLong(-1);
    for (int i = 0; i < subscribers; i++) {
      clients.add(
          new SseClient(
              http,
              uri,
              Set.of("run-completed"),
              (type, time, data, received) -> {
                if (type.equals("run-completed")) {
                  Matcher d = DURATION.matcher(data);
                  if (d.find()) duration.set(Long.parseLong(d.group(1)));
                  Matcher s = SEQ.matcher(data);
                  if (s.find()) lastSeq.set(Long.parseLong(s.group(1)));
                }
              }));
    }
    for (SseClient c : clients) {
      if (!c.await(Duration.ofMinutes(10))) throw new IllegalStateException("stream did not end");
    }
    for (SseClient c : clients) {
      if (c.events() != lastSeq.get() + 1) {
        throw new IllegalStateException(
            "a subscriber received " + c.events() + " of " + (lastSeq.get() + 1) + " events");
      }
      c.close();
    }
    lastTrainCpuMs = cpuDeltaMs(before, threadCpu("trainscope-train"));
    return duration.get();
  }

  static double median(List<Long> v) {
    List<Double> d = new ArrayList<>();
    for (long x : v) d.add((double) x);
    return EngineVsNumpy.median(d);
  }
}
