package dev.trainscope.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainscope.engine.event.TrainingEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A burst of real clients (issue 15): for each client count, a fresh Node process ({@link
 * NodeCrowd}, npm {@code eventsource}) starts a run with {@code POST /api/runs} and at once opens
 * that many streams of it, without pausing the run. Latency = receipt minus the event's {@code
 * time}, for the events emitted after that client's stream opened; every client must receive every
 * event. The server runs in a JVM of its own, started fresh: the first burst meets a cold server,
 * the later ones a warm one.
 *
 * <p>The floor, in the same run: a few dozen lines of plain Node (floor.mjs) replay the cold
 * burst's run, recorded from Trainscope, with its pacing, to the same client. Each Trainscope burst
 * is followed by a floor burst of as many clients, and the ratios are Trainscope / floor.
 *
 * <p>{@code CrowdBurst [clients=100,1000] [epochs=400] [--rounds R] [--server-jvm ARG]...}: the
 * first count is the cold burst; every count is then measured warm, R times (default 1).
 */
public final class CrowdBurst {
  private CrowdBurst() {}

  /** One burst's report from crowd-client.mjs, and what it ran against. */
  record Burst(String target, boolean cold, int clients, JsonNode report, String load) {
    boolean lossless() {
      return report.path("complete").asInt() == clients && report.path("lost").asLong() == 0;
    }

    Integer stat(String name) {
      JsonNode v = report.path(name);
      return v.isNumber() ? v.asInt() : null;
    }
  }

  /** Trainscope / floor for one client count (cold or warm), p50, p99 and max. */
  record Ratio(String label, Burst trainscope, Burst floor, double p50, double p99, double max) {}

  record Report(List<Burst> bursts, List<Ratio> ratios) {}

  public static void main(String[] args) throws Exception {
    List<Integer> counts = new ArrayList<>(List.of(100, 1000));
    int epochs = 400;
    int rounds = 1;
    List<String> jvm = new ArrayList<>();
    List<String> positional = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--server-jvm" -> jvm.add(args[++i]);
        default -> positional.add(args[i]);
      }
    }
    if (!positional.isEmpty()) {
      counts = Arrays.stream(positional.get(0).split(",")).map(Integer::valueOf).toList();
    }
    if (positional.size() > 1) epochs = Integer.parseInt(positional.get(1));
    Path nodeDir = Path.of(System.getProperty("user.home"), ".cache", "trainscope-bench", "node");
    Report report = run(nodeDir, counts, epochs, rounds, jvm);
    print(report);
    boolean lossless = report.bursts().stream().allMatch(Burst::lossless);
    System.exit(lossless ? 0 : 1);
  }

  static Report run(Path nodeDir, List<Integer> counts, int epochs, int rounds, List<String> jvm)
      throws Exception {
    NodeCrowd node = NodeCrowd.install(nodeDir);
    System.out.printf(
        "node %s, eventsource %s, server JVM %s, args %s%n",
        node.nodeVersion, node.eventsourceVersion, Runtime.version(), jvm);
    String body = "{\"epochs\": " + epochs + ", \"epochDelayMs\": 10, \"seed\": 2}";
    List<String> types = List.copyOf(TrainingEvent.TYPES);
    long timeout = 60_000 + epochs * 200L;
    Path data = Files.createTempDirectory("trainscope-crowd");
    List<Burst> bursts = new ArrayList<>();
    try (ServerProcess server =
        ServerProcess.start(jvm, data.resolve("runs"), data.resolve("server.log"))) {
      Burst cold =
          burst(node, "trainscope", true, server.url(), counts.get(0), body, types, timeout);
      bursts.add(cold);
      Path recorded = data.resolve("recorded.ndjson");
      record(server.url(), cold.report().path("runId").asText(), recorded);
      try (NodeCrowd.Floor floor = node.floor(recorded)) {
        bursts.add(burst(node, "floor", true, floor.url(), counts.get(0), body, types, timeout));
        for (int round = 0; round < rounds; round++) {
          for (int n : counts) {
            bursts.add(burst(node, "trainscope", false, server.url(), n, body, types, timeout));
            bursts.add(burst(node, "floor", false, floor.url(), n, body, types, timeout));
          }
        }
      }
    } finally {
      Workloads.deleteTree(data);
    }
    return new Report(bursts, ratios(bursts));
  }

  private static Burst burst(
      NodeCrowd node,
      String target,
      boolean cold,
      String url,
      int clients,
      String body,
      List<String> types,
      long timeout)
      throws IOException, InterruptedException {
    JsonNode r = node.burst(url, clients, body, types, timeout);
    Burst b = new Burst(target, cold, clients, r, StalledCrowd.load());
    System.out.printf(Locale.ROOT, "  %s%n", line(b));
    return b;
  }

  /** Each Trainscope burst against the floor burst that followed it. */
  static List<Ratio> ratios(List<Burst> bursts) {
    List<Ratio> ratios = new ArrayList<>();
    for (int i = 0; i + 1 < bursts.size(); i++) {
      Burst t = bursts.get(i);
      Burst f = bursts.get(i + 1);
      if (!t.target().equals("trainscope") || !f.target().equals("floor")) continue;
      String label = (t.cold() ? "cold " : "warm ") + t.clients();
      ratios.add(
          new Ratio(
              label,
              t,
              f,
              ratio(t.stat("p50"), f.stat("p50")),
              ratio(t.stat("p99"), f.stat("p99")),
              ratio(t.stat("max"), f.stat("max"))));
    }
    return ratios;
  }

  /** Milliseconds are whole: a floor of 0 ms counts as 1 ms, so that a ratio stays finite. */
  private static double ratio(Integer t, Integer f) {
    if (t == null || f == null) return Double.NaN;
    return t / (double) Math.max(1, f);
  }

  /** The run's stored events, for the floor to replay. */
  private static void record(String url, String runId, Path to)
      throws IOException, InterruptedException {
    HttpResponse<Path> res =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url + "/api/runs/" + runId + "/events.ndjson"))
                    .build(),
                HttpResponse.BodyHandlers.ofFile(to));
    if (res.statusCode() != 200) throw new IOException("recording the run: " + res.statusCode());
  }

  private static String line(Burst b) {
    JsonNode r = b.report();
    return String.format(
        Locale.ROOT,
        "%-10s %-4s %5d clients: p50 %s ms, p99 %s ms, max %s ms, p99 of the first 2.5 s %s ms;"
            + " %d/%d got all %d events (lost %d, reconnects %d), all open after %s ms; load %s",
        b.target(),
        b.cold() ? "cold" : "warm",
        b.clients(),
        r.path("p50").asText(),
        r.path("p99").asText(),
        r.path("max").asText(),
        r.path("earlyP99").asText(),
        r.path("complete").asInt(),
        b.clients(),
        r.path("events").asInt(),
        r.path("lost").asLong(),
        r.path("reconnects").asInt(),
        r.path("allOpenMs").asText(),
        b.load());
  }

  static void print(Report report) {
    System.out.println();
    System.out.println(
        "| burst | clients | Trainscope p50 / p99 / max | floor p50 / p99 / max"
            + " | ratio p50 / p99 / max | lossless | load |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (Ratio r : report.ratios()) {
      System.out.printf(
          Locale.ROOT,
          "| %s | %d | %s / %s / %s ms | %s / %s / %s ms | %.2f / %.2f / %.2f | %s | %s |%n",
          r.label().split(" ")[0],
          r.trainscope().clients(),
          r.trainscope().stat("p50"),
          r.trainscope().stat("p99"),
          r.trainscope().stat("max"),
          r.floor().stat("p50"),
          r.floor().stat("p99"),
          r.floor().stat("max"),
          r.p50(),
          r.p99(),
          r.max(),
          r.trainscope().lossless() && r.floor().lossless() ? "yes" : "NO",
          r.trainscope().load());
    }
  }
}
