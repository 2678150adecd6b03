package dev.trainscope.bench;

import dev.trainscope.engine.RunControl;
import dev.trainscope.engine.Trainer;
import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.server.ServerConfig;
import dev.trainscope.server.TrainscopeServer;
import dev.trainscope.server.json.EventCodec;
import dev.trainscope.server.log.RunLog;
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
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.trainscope.bench.ReplayThroughput [reps] [epochs]
 * </pre>
 */
public final class ReplayThroughput {
  public static void main(String[] args) throws Exception {
    int reps = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 8265;
    Path dir = Files.createTempDirectory("trainscope-bench-");
    try {
      TrainingConfig config =
          TrainingConfig.builder()
              .batchSize(1)
              .batchEvents(true)
              .epochs(epochs)
              .traceEvery(epochs)
              .build();
      String id = "replay-bench";
      long t0 = System.nanoTime();
      RunStore store = new RunStore(dir, new EventCodec());
      RunLog log = store.create(id, config);
      new Trainer(Schedulers.immediate(), System::currentTimeMillis)
          .train(id, config, Trainer.loadDataset(config), new RunControl())
          .doOnNext(
              e -> {
                try {
                  log.append(e);
                } catch (IOException x) {
                  throw new UncheckedIOException(x);
                }
              })
          .blockLast();
      log.close();
      long events = log.size();
      System.out.printf(
          Locale.ROOT,
          "machine: %d cpus; wrote %,d events (%,d bytes) in %.1f s%n",
          Runtime.getRuntime().availableProcessors(),
          events,
          Files.size(dir.resolve("runs").resolve(id).resolve(RunStore.EVENTS_FILE)),
          (System.nanoTime() - t0) / 1e9);
      try (TrainscopeServer server =
          TrainscopeServer.start(ServerConfig.builder().port(0).dataDir(dir).build())) {
        HttpClient http = HttpClient.create().baseUrl("http://127.0.0.1:" + server.port());
        for (int r = 1; r <= reps; r++) {
          long start = System.nanoTime();
          SseClient client =
              new SseClient(http, "/api/runs/" + id + "/events", (type, time, data, at) -> {});
          if (!client.await(Duration.ofMinutes(5))) throw new IllegalStateException("timeout");
          double s = (System.nanoTime() - start) / 1e9;
          System.out.printf(
              Locale.ROOT,
              "rep %d: %,d of %,d events, %,.0f bytes, in %.2f s: %,.0f events/s, %.1f MB/s"
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
  }
}
