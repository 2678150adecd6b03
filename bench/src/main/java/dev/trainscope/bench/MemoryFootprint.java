package dev.trainscope.bench;

import dev.trainscope.server.ServerConfig;
import dev.trainscope.server.TrainscopeServer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Figure 5, memory: heap (live, after a full GC) and RSS of this JVM, which hosts the server, (a)
 * with N idle SSE subscribers on a live run, and (b) with one stalled subscriber (a raw socket that
 * reads nothing) on a live run of about 1,000,000 events; once the run has finished the stalled
 * subscriber reads and must get every event. Loopback only; stops by itself.
 *
 * <pre>
 * java -Xmx256m -cp bench/target/benchmarks.jar dev.trainscope.bench.MemoryFootprint [idle] [epochs]
 * </pre>
 *
 * Defaults: 1,000 idle subscribers; 8,300 epochs of Iris at batch size 1 with batch events (about
 * 1,000,000 events). Running it under {@code -Xmx256m} is itself the check that the heap stays
 * below 256 MB.
 */
public final class MemoryFootprint {
  private static final Pattern STATE = Pattern.compile("\"state\":\"([^\"]+)\"");

  public static void main(String[] args) throws Exception {
    int idle = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 8300;
    System.out.printf(
        Locale.ROOT,
        "machine: %d cpus, max heap %d MB; baseline heap %d MB, RSS %d MB%n",
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20,
        liveHeapMb(),
        rssMb());
    Path dir = Files.createTempDirectory("trainscope-mem-");
    ConnectionProvider pool =
        ConnectionProvider.builder("mem")
            .maxConnections(idle + 10)
            .pendingAcquireMaxCount(-1)
            .build();
    try (TrainscopeServer server =
        TrainscopeServer.start(ServerConfig.builder().port(0).dataDir(dir).build())) {
      HttpClient http = HttpClient.create(pool).baseUrl("http://127.0.0.1:" + server.port());
      idleSubscribers(http, idle);
      stalledSubscriber(http, server.port(), epochs);
    } finally {
      pool.dispose();
      Workloads.deleteTree(dir);
    }
  }

  static void idleSubscribers(HttpClient http, int n) throws Exception {
    String id = BenchRuns.start(http, "{\"epochs\":3,\"epochDelayMs\":60000}");
    List<SseClient> clients = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      clients.add(new SseClient(http, "/api/runs/" + id + "/events", (type, time, data, at) -> {}));
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (clients.stream().anyMatch(c -> c.events() == 0) && System.nanoTime() < deadline) {
      Thread.sleep(50); // harness pacing while connections open, not test synchronisation
    }
    long connected = clients.stream().filter(c -> c.events() > 0).count();
    System.out.printf(
        Locale.ROOT,
        "%,d idle subscribers (%,d receiving): live heap %d MB, RSS %d MB (server and clients in"
            + " one JVM)%n",
        n,
        connected,
        liveHeapMb(),
        rssMb());
    BenchRuns.post(http, "/api/runs/" + id + "/stop", "");
    clients.forEach(SseClient::close);
  }

  static void stalledSubscriber(HttpClient http, int port, int epochs) throws Exception {
    String id =
        BenchRuns.start(
            http,
            "{\"epochs\":" + epochs + ",\"batchSize\":1,\"batchEvents\":true,\"traceEvery\":100}");
    try (Socket socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /api/runs/"
                  + id
                  + "/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  + "Accept: text/event-stream\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      // Read nothing while the run trains: the socket's buffers fill and the server must hold.
      long maxHeap = 0, maxRss = 0;
      String state = "";
      long t0 = System.nanoTime();
      while (!state.equals("completed") && !state.equals("failed")) {
        Thread.sleep(1000);
        maxHeap = Math.max(maxHeap, liveHeapMb());
        maxRss = Math.max(maxRss, rssMb());
        Matcher m = STATE.matcher(get(http, "/api/runs/" + id));
        state = m.find() ? m.group(1) : "";
      }
      long events =
          Long.parseLong(get(http, "/api/runs/" + id).replaceAll(".*\"events\":(\\d+).*", "$1"));
      System.out.printf(
          Locale.ROOT,
          "stalled subscriber on a live run of %,d events (%.0f s): live heap at most %d MB, RSS at"
              + " most %d MB%n",
          events,
          (System.nanoTime() - t0) / 1e9,
          maxHeap,
          maxRss);
      // Now it reads: every event must arrive, in order.
      InputStream in = socket.getInputStream();
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      long received = 0, expectedSeq = 0;
      boolean inOrder = true;
      String line;
      while (received < events && (line = reader.readLine()) != null) {
        if (line.startsWith("id: ")) {
          long seq = Long.parseLong(line.substring(4).trim());
          inOrder &= seq == expectedSeq++;
          received++;
        }
      }
      System.out.printf(
          Locale.ROOT,
          "then it read %,d of %,d events, %s%n",
          received,
          events,
          inOrder ? "in order, none missing" : "OUT OF ORDER");
    }
  }

  static String get(HttpClient http, String uri) {
    return http.get()
        .uri(uri)
        .responseSingle((res, b) -> b.asString())
        .block(Duration.ofSeconds(30));
  }

  static long liveHeapMb() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
  }

  static long rssMb() throws Exception {
    for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("\\D+", "")) >> 10;
    }
    return -1;
  }
}
