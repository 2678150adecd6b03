package dev.trainscope.bench;

import dev.trainscope.engine.RunControl;
import dev.trainscope.engine.Trainer;
import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.server.ServerConfig;
import dev.trainscope.server.TrainscopeServer;
import dev.trainscope.server.json.EventCodec;
import dev.trainscope.server.kafka.KafkaStore;
import dev.trainscope.server.log.EventLog;
import dev.trainscope.server.log.LogStore;
import dev.trainscope.server.log.RunMeta;
import dev.trainscope.server.log.RunStates;
import dev.trainscope.server.log.RunStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;

/**
 * Figure 2, replay throughput: a finished run of about 1,000,000 events (Iris trained with batch
 * size 1 and batch events: 120 {@code batch} events and one {@code epoch} per epoch, 8,265 epochs)
 * is written to a run log by the server's own {@code RunStore}; then the server starts on that data
 * directory and one SSE subscriber (reactor-netty, loopback) reads the whole run from the first
 * event to the end of the stream, parsing every frame. Events/s = events / (time from request to
 * end of stream).
 *
 * <p>With {@code --kafka HOST:PORT} the same run is also written to Kafka and replayed by a server
 * that reads it from its topic (a second instance), side by side with the file log.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.trainscope.bench.ReplayThroughput [reps] [epochs]
 *     [--kafka HOST:PORT]
 * </pre>
 */
public final class ReplayThroughput {
  public static void main(String[] args) throws Exception {
    java.util.List<String> rest = new java.util.ArrayList<>(java.util.List.of(args));
    String kafka = null;
    int k = rest.indexOf("--kafka");
    if (k >= 0) {
      kafka = rest.get(k + 1);
      rest.subList(k, k + 2).clear();
    }
    int reps = rest.size() > 0 ? Integer.parseInt(rest.get(0)) : 3;
    int epochs = rest.size() > 1 ? Integer.parseInt(rest.get(1)) : 8265;
    double file = measure("file log", reps, epochs, null);
    if (kafka != null) {
      ServerConfig.Kafka cluster =
          new ServerConfig.Kafka(
              KafkaStore.clientProperties(kafka), "bench" + System.nanoTime() + ".");
      double fromKafka = measure("Kafka (" + kafka + ")", reps, epochs, cluster);
      System.out.printf(
          Locale.ROOT,
          "median replay: file %,.0f events/s, Kafka %,.0f events/s: Kafka/file %.2f%n",
          file,
          fromKafka,
          fromKafka / file);
    }
  }

  /**
   * Writes the run (to the data directory, or to Kafka through a store of its own), then starts a
   * server on it (for Kafka: a second instance, which reads the run's topic once) and replays it
   * {@code reps} times; returns the median events/s.
   */
  private static double measure(String label, int reps, int epochs, ServerConfig.Kafka kafka)
      throws Exception {
    Path dir = Files.createTempDirectory("trainscope-bench-");
    java.util.List<Double> rates = new java.util.ArrayList<>();
    try {
      TrainingConfig config =
          TrainingConfig.builder()
              .batchSize(1)
              .batchEvents(true)
              .epochs(epochs)
              .traceEvery(epochs)
              .build();
      String id = Trainer.newRunId();
      long t0 = System.nanoTime();
      EventCodec codec = new EventCodec();
      LogStore store =
          kafka == null
              ? new RunStore(dir, codec)
              : new KafkaStore(
                  kafka.client(), kafka.prefix(), codec, dir, "bench-writer", kafka.lease());
      EventLog log =
          store.create(
              RunMeta.trained(
                  id, config, RunStates.RUNNING, System.currentTimeMillis(), RunMeta.ENGINE, null));
      long[] n = {0};
      new Trainer(Schedulers.immediate(), System::currentTimeMillis)
          .train(id, config, Trainer.loadDataset(config), new RunControl())
          .doOnNext(
              e -> {
                try {
                  // As the server's appender does: a burst written, then published once.
                  log.write(e);
                  if (++n[0] % 512 == 0) log.publish();
                } catch (IOException x) {
                  throw new UncheckedIOException(x);
                }
              })
          .blockLast();
      log.close();
      store.close();
      long events = log.size();
      System.out.printf(
          Locale.ROOT,
          "%s: %d cpus; wrote %,d events in %.1f s%n",
          label,
          Runtime.getRuntime().availableProcessors(),
          events,
          (System.nanoTime() - t0) / 1e9);
      ServerConfig.Builder b = ServerConfig.builder().port(0).dataDir(dir.resolve("reader"));
      if (kafka == null) b.dataDir(dir);
      else b.kafka(kafka);
      long started = System.nanoTime();
      try (TrainscopeServer server = TrainscopeServer.start(b.build())) {
        System.out.printf(
            Locale.ROOT,
            "  server started (run loaded) in %.2f s%n",
            (System.nanoTime() - started) / 1e9);
        HttpClient http = HttpClient.create().baseUrl("http://127.0.0.1:" + server.port());
        for (int r = 1; r <= reps; r++) {
          long start = System.nanoTime();
          SseClient client =
              new SseClient(http, "/api/runs/" + id + "/events", (type, time, data, at) -> {});
          if (!client.await(Duration.ofMinutes(5))) throw new IllegalStateException("timeout");
          double s = (System.nanoTime() - start) / 1e9;
          rates.add(client.events() / s);
          System.out.printf(
              Locale.ROOT,
              "  rep %d: %,d of %,d events, %,.0f bytes, in %.2f s: %,.0f events/s, %.1f MB/s"
                  + "  [load %.1f]%n",
              r,
              client.events(),
              events,
              (double) client.bytes(),
              s,
              client.events() / s,
              client.bytes() / s / 1e6,
              EngineVsNumpy.loadAverage());
          client.close();
        }
      }
    } finally {
      Workloads.deleteTree(dir);
    }
    java.util.Collections.sort(rates);
    return rates.get(rates.size() / 2);
  }
}
