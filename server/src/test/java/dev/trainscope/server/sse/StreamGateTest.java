package dev.trainscope.server.sse;

import static dev.trainscope.server.ServerFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trainscope.engine.Trainer;
import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.server.ServerConfig;
import dev.trainscope.server.ServerFixture;
import dev.trainscope.server.ServerFixture.Sse;
import dev.trainscope.server.json.EventCodec;
import dev.trainscope.server.log.RunLog;
import dev.trainscope.server.log.RunStore;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamGateTest {
  /** Events of the finished run the tests stream: about 12 MB of SSE, far beyond socket buffers. */
  static final int EVENTS = 20_000;

  @TempDir Path data;
  ServerFixture fx;
  final List<Socket> sockets = new ArrayList<>();

  @AfterEach
  void stop() throws IOException {
    for (Socket s : sockets) s.close();
    if (fx != null) fx.close();
  }

  @Test
  void fiftyStalledSubscribersHoldAtMostTheirBudgetWhileAReaderGetsEverything() throws Exception {
    String id = finishedRun(EVENTS);
    fx = new ServerFixture(ServerFixture.config(data));
    for (int i = 0; i < 50; i++) stalled(id);

    awaitMetric("trainscope_streams_stalled", v -> v == 50);
    long direct =
        ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric().usedDirectMemory();
    assertThat(direct)
        .as("direct memory with 50 stalled subscribers")
        .isLessThan(50L * StreamGate.BUDGET_BYTES + (32 << 20));
    assertThat(metric("trainscope_streams_queued_bytes"))
        .as("bytes the server queued for 50 stalled subscribers")
        .isBetween(1.0, 50.0 * StreamGate.BUDGET_BYTES);

    long t0 = System.nanoTime();
    assertThat(fx.get("/health").status()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
    assertThat(ids(fx.awaitFinished(id))).isEqualTo(range(0, EVENTS));
  }

  @Test
  void aSubscriberStalledPastTheLimitIsClosedAndResumesWithLastEventIdLosingNothing()
      throws Exception {
    String id = finishedRun(EVENTS);
    ServerConfig config = ServerFixture.config(data);
    fx =
        new ServerFixture(
            config.toBuilder()
                .limits(config.limits().withStreamStallLimit(Duration.ofSeconds(1)))
                .build());
    List<Socket> crowd = new ArrayList<>();
    for (int i = 0; i < 5; i++) crowd.add(stalled(id));

    awaitMetric("trainscope_streams_stalled_closed_total", v -> v == 5);
    awaitMetric("trainscope_streams_open", v -> v == 0);
    for (Socket socket : crowd) {
      List<Long> seen = readToEnd(socket);
      assertThat(seen).isNotEmpty().hasSizeLessThan(EVENTS);
      assertThat(seen).isEqualTo(range(0, seen.size()));
      long last = seen.get(seen.size() - 1);
      List<Sse> rest =
          fx.sse("/api/runs/" + id + "/events", Map.of("Last-Event-ID", Long.toString(last)))
              .collectList()
              .block(TIMEOUT);
      assertThat(ids(rest)).isEqualTo(range(last + 1, EVENTS));
    }
  }

  @Test
  void aStreamBeyondTheLimitIsAnswered503WithAJsonError() throws Exception {
    String id = finishedRun(EVENTS);
    ServerConfig config = ServerFixture.config(data);
    fx = new ServerFixture(config.toBuilder().limits(config.limits().withMaxStreams(2)).build());
    stalled(id);
    stalled(id);
    awaitMetric("trainscope_streams_open", v -> v == 2);

    ServerFixture.Response refused = fx.get("/api/runs/" + id + "/events");
    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.json().get("error").asText()).contains("too many open event streams");
    assertThat(fx.get("/health").status()).isEqualTo(200);
  }

  /** A finished run of {@code n} events of about 600 bytes, written with the server's own log. */
  private String finishedRun(int n) throws IOException {
    String id = Trainer.newRunId();
    RunStore store = new RunStore(data, new EventCodec());
    try (RunLog log = store.createExternal(id, "big")) {
      log.append(
          new TrainingEvent.RunStarted(
              id, 0, 1000, null, new TrainingEvent.ModelInfo(0, List.of(), 0, null), null));
      String text = "x".repeat(500);
      for (int seq = 1; seq < n - 1; seq++) {
        log.write(new TrainingEvent.Insight(id, seq, 1000 + seq, seq, "info", "pad", text, null));
      }
      log.append(
          new TrainingEvent.RunCompleted(
              id, n - 1, 1000 + n, n, null, null, null, null, null, null, null, 1, false));
    }
    return id;
  }

  /** Requests the run's SSE stream on a socket that reads nothing (until the test reads it). */
  private Socket stalled(String id) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress("127.0.0.1", fx.server.port()));
    socket.setSoTimeout((int) TIMEOUT.toMillis());
    sockets.add(socket);
    socket
        .getOutputStream()
        .write(
            ("GET /api/runs/" + id + "/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    return socket;
  }

  /** The ids of the complete SSE frames the socket received before the server closed it. */
  private static List<Long> readToEnd(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    String head = line(in);
    assertThat(head).startsWith("HTTP/1.1 200");
    while (!line(in).isEmpty()) {} // headers
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) { // chunked: size line, bytes, CRLF; the server cut it anywhere
      String size = line(in);
      if (size == null || size.isEmpty()) break;
      byte[] chunk = in.readNBytes(Integer.parseInt(size.trim(), 16));
      body.writeBytes(chunk);
      if (line(in) == null) break;
    }
    String text = body.toString(StandardCharsets.UTF_8);
    List<Long> ids = new ArrayList<>();
    Matcher m = Pattern.compile("(?m)^id: (\\d+)\n(?:[^\n]+\n)*\n").matcher(text);
    while (m.find()) ids.add(Long.parseLong(m.group(1)));
    return ids;
  }

  /** One CRLF-terminated line, or null at the end of the stream. */
  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        String s = out.toString(StandardCharsets.US_ASCII);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      out.write(b);
    }
    return null;
  }

  private double metric(String name) {
    Matcher m =
        Pattern.compile("(?m)^" + name + "(?:\\{[^}]*\\})? (\\S+)$")
            .matcher(fx.get("/metrics").body());
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  private void awaitMetric(String name, java.util.function.DoublePredicate done) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    BooleanSupplier ok = () -> done.test(metric(name));
    while (!ok.getAsBoolean()) {
      assertThat(System.nanoTime())
          .as("%s reached its value; last %s", name, metric(name))
          .isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  private static List<Long> ids(List<Sse> events) {
    return events.stream().map(e -> Long.parseLong(e.id())).toList();
  }

  private static List<Long> range(long from, long to) {
    return LongStream.range(from, to).boxed().toList();
  }
}
