package dev.trainscope.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainscope.server.ServerConfig;
import dev.trainscope.server.TrainscopeServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/** Seconds-long smoke run of the latency harness, so that it keeps working between measurements. */
class SseLatencyTest {
  @TempDir Path data;

  @Test
  @Timeout(60)
  void everySubscriberGetsEveryEventOfThePausedThenResumedRun() throws Exception {
    ConnectionProvider pool = ConnectionProvider.newConnection();
    try (TrainscopeServer server =
        TrainscopeServer.start(
            ServerConfig.builder().host("127.0.0.1").port(0).dataDir(data).build())) {
      HttpClient http = HttpClient.create(pool).baseUrl("http://127.0.0.1:" + server.port());
      SseLatency.Result result = SseLatency.run(http, 3, 5, 0, false);
      // Iris with batch events: run-started, 5 epochs of 8 batches + epoch + activations +
      // layer-stats (+ insights, and the pause and resume unless the run was over first),
      // run-completed.
      assertThat(result.events()).isGreaterThanOrEqualTo(1 + 5 * 11 + 1);
      assertThat(result.complete()).isEqualTo(3);
    } finally {
      pool.dispose();
    }
  }
}
