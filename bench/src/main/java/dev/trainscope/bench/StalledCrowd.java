package dev.trainscope.bench;

import dev.trainscope.server.ServerConfig;
import dev.trainscope.server.TrainscopeServer;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * A crowd of slow readers: S stalled subscribers (raw sockets that send the request and read
 * nothing) and R subscribers that read, all on one live run, against the server in this JVM. While
 * the run trains, {@code /health} is probed every 100 ms on a new connection. Reports the probes'
 * latency, whether every reader got every event, and the memory the server held (bytes queued for
 * streams from {@code /metrics}, Netty's direct memory, live heap, RSS). Loopback only; every wait
 * has a timeout; stops by itself.
 *
 * <pre>
 * java -Xmx256m -cp bench/target/benchmarks.jar dev.trainscope.bench.StalledCrowd [stalled] [readers] [epochs]
 * </pre>
 *
 * Defaults: 1,000 stalled, 10 readers, 2,000 epochs of Iris at batch size 1 with batch events
 * (about 250,000 events, 35 MB of SSE).
 */
public final class StalledCrowd {
  private static final Pattern STATE = Pattern.compile("\"state\":\"([^\"]+)\"");
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);

  public static void main(String[] args) throws Exception {
    int stalled = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int readers = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
    System.out.printf(
        Locale.ROOT,
        "machine: %d cpus, max heap %d MB, load %s%n",
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20,
        load());
    Path dir = Files.createTempDirectory("trainscope-crowd-");
    ConnectionProvider pool =
        ConnectionProvider.builder("crowd")
            .maxConnections(readers + 10)
            .pendingAcquireMaxCount(-1)
            .build();
    List<Socket> crowd = new ArrayList<>();
    try (TrainscopeServer server =
        TrainscopeServer.start(ServerConfig.builder().port(0).dataDir(dir).build())) {
      HttpClient http = HttpClient.create(pool).baseUrl("http://127.0.0.1:" + server.port());
      HttpClient fresh =
          HttpClient.create(ConnectionProvider.newConnection())
              .baseUrl("http://127.0.0.1:" + server.port());
      String id =
          BenchRuns.start(
              http,
              "{\"epochs\":"
                  + epochs
                  + ",\"batchSize\":1,\"batchEvents\":true,\"traceEvery\":100,\"epochDelayMs\":0}");
      BenchRuns.post(http, "/api/runs/" + id + "/pause", "");
      String uri = "/api/runs/" + id + "/events";
      for (int i = 0; i < stalled; i++) {
        Socket s = new Socket("127.0.0.1", server.port());
        crowd.add(s);
        OutputStream out = s.getOutputStream();
        out.write(
            ("GET " + uri + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
      List<SseClient> reading = new ArrayList<>();
      for (int i = 0; i < readers; i++) {
        reading.add(new SseClient(http, uri, (type, time, data, at) -> {}));
      }
      BenchRuns.post(http, "/api/runs/" + id + "/resume", "");

      List<Long> probes = new ArrayList<>();
      List<String> slow = new ArrayList<>();
      int failed = 0;
      long maxQueued = 0, maxDirect = 0, maxRss = 0, maxStalled = 0;
      String state = "";
      long t0 = System.nanoTime();
      long deadline = t0 + RUN_TIMEOUT.toNanos();
      int tick = 0;
      while (!state.equals("completed")
          && !state.equals("failed")
          && System.nanoTime() < deadline) {
        Thread.sleep(100); // harness pacing between probes, not test synchronisation
        long p0 = System.nanoTime();
        try {
          String health =
              fresh
                  .get()
                  .uri("/health")
                  .responseSingle((res, b) -> b.asString())
                  .block(PROBE_TIMEOUT);
          if (health == null || !health.contains("UP")) failed++;
          else {
            long ms = (System.nanoTime() - p0) / 1_000_000;
            probes.add(ms);
            if (ms > 100)
              slow.add(String.format(Locale.ROOT, "%d ms at %.1f s", ms, (p0 - t0) / 1e9));
          }
        } catch (RuntimeException e) {
          failed++;
        }
        maxDirect = Math.max(maxDirect, directBytes());
        maxRss = Math.max(maxRss, MemoryFootprint.rssMb());
        if (tick % 50 == 0) {
          long worst = probes.stream().mapToLong(Long::longValue).max().orElse(-1);
          System.out.printf(
              Locale.ROOT,
              "  %3.0f s: /health answered %d, failed %d, slowest %d ms; direct %d MB%n",
              (System.nanoTime() - t0) / 1e9,
              probes.size(),
              failed,
              worst,
              maxDirect >> 20);
        }
        if (tick++ % 10 == 0) {
          String metrics = get(fresh, "/metrics");
          maxQueued =
              Math.max(maxQueued, (long) metric(metrics, "trainscope_streams_queued_bytes"));
          maxStalled = Math.max(maxStalled, (long) metric(metrics, "trainscope_streams_stalled"));
          Matcher m = STATE.matcher(get(fresh, "/api/runs/" + id));
          state = m.find() ? m.group(1) : "";
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      long events =
          Long.parseLong(
              get(fresh, "/api/runs/" + id).replaceAll("(?s).*\"events\":(\\d+).*", "$1"));
      for (SseClient c : reading) c.await(Duration.ofSeconds(60));
      long complete = reading.stream().filter(c -> c.events() == events).count();
      long[] sorted = probes.stream().mapToLong(Long::longValue).sorted().toArray();
      System.out.printf(
          Locale.ROOT,
          "%,d stalled + %d reading subscribers on a live run of %,d events (%s, %.0f s)%n",
          stalled,
          readers,
          events,
          state,
          seconds);
      System.out.printf(
          Locale.ROOT,
          "/health on a new connection: %d probes answered, p50 %d ms, p99 %d ms, max %d ms;"
              + " %d failed or over %d s%n",
          sorted.length,
          pct(sorted, 0.50),
          pct(sorted, 0.99),
          sorted.length == 0 ? -1 : sorted[sorted.length - 1],
          failed,
          PROBE_TIMEOUT.toSeconds());
      System.out.printf(Locale.ROOT, "probes over 100 ms: %d %s%n", slow.size(), slow);
      System.out.printf(
          Locale.ROOT,
          "readers with every event: %d/%d; streams stalled at most %,d; queued for streams at"
              + " most %,d KB; Netty direct memory at most %,d MB; RSS at most %,d MB; live heap"
              + " after %d MB; load %s%n",
          complete,
          readers,
          maxStalled,
          maxQueued >> 10,
          maxDirect >> 20,
          maxRss,
          MemoryFootprint.liveHeapMb(),
          load());
      reading.forEach(SseClient::close);
      for (Socket s : crowd) s.close(); // before the server stops, so it ends no stream itself
    } finally {
      for (Socket s : crowd) s.close();
      pool.dispose();
      Workloads.deleteTree(dir);
    }
  }

  static long pct(long[] sorted, double q) {
    if (sorted.length == 0) return -1;
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }

  static double metric(String text, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*\\})? (\\S+)$").matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

  static long directBytes() {
    return ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric().usedDirectMemory();
  }

  static String get(HttpClient http, String uri) {
    try {
      String s = http.get().uri(uri).responseSingle((res, b) -> b.asString()).block(PROBE_TIMEOUT);
      return s == null ? "" : s;
    } catch (RuntimeException e) {
      return "";
    }
  }

  static String load() {
    try {
      return Arrays.stream(Files.readString(Path.of("/proc/loadavg")).split(" "))
          .limit(1)
          .findFirst()
          .orElse("?");
    } catch (Exception e) {
      return "?";
    }
  }
}
