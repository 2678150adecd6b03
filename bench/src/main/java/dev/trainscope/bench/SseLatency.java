package dev.trainscope.bench;

import dev.trainscope.server.ServerConfig;
import dev.trainscope.server.TrainscopeServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * Figure 1, latency: N SSE subscribers (reactor-netty, loopback, this JVM) follow one live run of
 * about 1,000 events/s: Iris with batch events (10 per epoch) and tracing every epoch, paced by
 * {@code epochDelayMs} (default 12 ms, about 13 events per epoch). Latency = receipt time at the
 * client, after parsing the frame, minus the event's {@code time} (stamped by the engine at
 * emission); both are this machine's wall clock in milliseconds. Every subscriber must receive
 * every event.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.trainscope.bench.SseLatency [subscribers...]
 *     [--epochs 1000] [--delay 12] [--url http://127.0.0.1:PORT]
 * </pre>
 */
public final class SseLatency {

  public static void main(String[] args) throws Exception {
    List<Integer> counts = new ArrayList<>();
    int epochs = 1000, delay = 12;
    String url = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--url" -> url = args[++i];
        case "--epochs" -> epochs = Integer.parseInt(args[++i]);
        case "--delay" -> delay = Integer.parseInt(args[++i]);
        default -> counts.add(Integer.parseInt(args[i]));
      }
    }
    if (counts.isEmpty()) counts = List.of(1, 100, 1000);
    System.out.printf(
        Locale.ROOT,
        "machine: %d cpus, max heap %d MB%n",
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20);
    ConnectionProvider pool =
        ConnectionProvider.builder("bench").maxConnections(5000).pendingAcquireMaxCount(-1).build();
    // The clients get event loops of their own: on the server's loops, a client parsing a burst
    // would delay the server's writes to other subscribers and count as server latency.
    LoopResources clientLoops = LoopResources.create("bench-client", 2, true);
    if (url != null) {
      // A server in its own process (java -jar server/target/trainscope.jar serve), so the
      // clients' parsing does not share a JVM with it; it must be on loopback.
      if (!url.startsWith("http://127.0.0.1:")) {
        throw new IllegalArgumentException("--url http://127.0.0.1:<port> required but was " + url);
      }
      try {
        HttpClient http = HttpClient.create(pool).runOn(clientLoops).baseUrl(url);
        warmUp(http, counts, delay);
        for (int n : counts) run(http, n, epochs, delay, true);
      } finally {
        pool.dispose();
        clientLoops.dispose();
      }
      return;
    }
    Path dir = Files.createTempDirectory("trainscope-bench-");
    try (TrainscopeServer server =
        TrainscopeServer.start(ServerConfig.builder().port(0).dataDir(dir).build())) {
      HttpClient http =
          HttpClient.create(pool).runOn(clientLoops).baseUrl("http://127.0.0.1:" + server.port());
      warmUp(http, counts, delay);
      for (int n : counts) run(http, n, epochs, delay, true);
    } finally {
      pool.dispose();
      clientLoops.dispose();
      Workloads.deleteTree(dir);
    }
  }

  /**
   * A short unmeasured run with as many subscribers as the first measured one, up to 100: a server
   * that has been up for a while has compiled its fan-out path, and the figures should not include
   * the JIT compiling it.
   */
  static void warmUp(HttpClient http, List<Integer> counts, int delay) throws Exception {
    run(http, Math.min(100, counts.get(0)), 300, delay, false);
  }

  /** What one run measured: events in the run, and how many subscribers received them all. */
  record Result(long events, long complete, long p99) {}

  static Result run(HttpClient http, int subscribers, int epochs, int delay, boolean print)
      throws Exception {
    String body =
        "{\"dataset\":\"iris\",\"epochs\":"
            + epochs
            + ",\"epochDelayMs\":"
            + delay
            + ",\"batchEvents\":true,\"traceEvery\":1}";
    String run = "/api/runs/" + BenchRuns.start(http, body);
    // Paused at once, so that every subscriber is connected and has replayed the first events
    // before the measured part: the figure is the live fan-out, not N clients joining late.
    BenchRuns.post(http, run + "/pause", "");
    CountDownLatch caughtUp = new CountDownLatch(subscribers);
    AtomicLong resumedAt = new AtomicLong(Long.MAX_VALUE);
    // One histogram of latencies in ms (0..9999) of the events emitted after the resume.
    AtomicLong[] histogram = new AtomicLong[10_000];
    for (int i = 0; i < histogram.length; i++) histogram[i] = new AtomicLong();
    AtomicLong first = new AtomicLong(Long.MAX_VALUE), last = new AtomicLong();
    List<SseClient> clients = new ArrayList<>();
    for (int i = 0; i < subscribers; i++) {
      boolean[] paused = {false}; // this client's; its listener runs on one thread at a time
      clients.add(
          new SseClient(
              http,
              run + "/events",
              (type, t, data, received) -> {
                // Paused, or already over when the pause came (a short run on a fast engine).
                if (!paused[0]
                    && (type.equals("status")
                        || type.equals("run-completed")
                        || type.equals("run-failed"))) {
                  paused[0] = true;
                  caughtUp.countDown();
                }
                if (t < resumedAt.get()) return;
                histogram[(int) Math.max(0, Math.min(9_999, received - t))].incrementAndGet();
                first.accumulateAndGet(t, Math::min);
                last.accumulateAndGet(t, Math::max);
              }));
    }
    if (!caughtUp.await(2, TimeUnit.MINUTES)) {
      throw new IllegalStateException(caughtUp.getCount() + " subscribers did not catch up");
    }
    long cpuBefore = EngineVsNumpy.processCpuNanos();
    resumedAt.set(System.currentTimeMillis());
    BenchRuns.post(http, run + "/resume", "");
    for (SseClient c : clients) {
      if (!c.await(Duration.ofMinutes(10))) throw new IllegalStateException("stream did not end");
    }
    long cpu = EngineVsNumpy.processCpuNanos() - cpuBefore;
    long[] perClient = clients.stream().mapToLong(SseClient::events).toArray();
    long reads = clients.stream().mapToLong(SseClient::reads).sum();
    long bytes = clients.stream().mapToLong(SseClient::bytes).sum();
    clients.forEach(SseClient::close);
    // The last event's seq tells how many the run has: every subscriber must have them all.
    long expected = clients.stream().mapToLong(SseClient::lastId).max().orElse(-1) + 1;
    long complete =
        clients.stream().filter(c -> c.events() == expected && c.lastId() + 1 == expected).count();
    long total = 0;
    for (AtomicLong h : histogram) total += h.get();
    double seconds = (last.get() - first.get()) / 1000.0;
    if (print) {
      System.out.printf(
          Locale.ROOT,
          "%5d subscribers: %,d live events per subscriber at %,.0f events/s; p50 %d ms, p99 %d"
              + " ms, max %d ms; %d/%d subscribers got all %,d events; %.1f events and %,.0f"
              + " bytes per read; %.1f us CPU per delivery (server and clients)  [load %.1f]%n",
          subscribers,
          total / subscribers,
          total / subscribers / seconds,
          percentile(histogram, total, 0.50),
          percentile(histogram, total, 0.99),
          percentile(histogram, total, 1.0),
          complete,
          subscribers,
          expected,
          (double) Arrays.stream(perClient).sum() / reads,
          (double) bytes / reads,
          cpu / 1e3 / total,
          EngineVsNumpy.loadAverage());
    }
    return new Result(expected, complete, percentile(histogram, total, 0.99));
  }

  static int percentile(AtomicLong[] h, long total, double q) {
    long target = (long) Math.ceil(q * total), seen = 0;
    for (int i = 0; i < h.length; i++) {
      seen += h[i].get();
      if (seen >= Math.max(1, target)) return i;
    }
    return h.length - 1;
  }
}
