package dev.trainscope.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainscope.engine.RunControl;
import dev.trainscope.engine.Trainer;
import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.server.json.EventCodec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Runs {@code tail} against a stand-in SSE server that cuts the stream after a few events, the way
 * a proxy or a network drop would, and serves the rest to a reconnect with Last-Event-ID.
 */
class TailCommandTest {
  private static final EventCodec CODEC = new EventCodec();
  private static List<TrainingEvent> run;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final List<String> lastEventIds = new CopyOnWriteArrayList<>();
  private DisposableServer server;

  @BeforeAll
  static void recordARun() {
    TrainingConfig config = TrainingConfig.builder().epochs(12).traceEvery(4).build();
    run =
        new Trainer(Schedulers.boundedElastic(), () -> 1_000L)
            .train("tail-run", config, Trainer.loadDataset(config), new RunControl())
            .collectList()
            .block(Duration.ofSeconds(30));
  }

  /** Serves events after Last-Event-ID; the first connection breaks after {@code cutAfter}. */
  private void serve(int cutAfter) {
    server =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .route(
                routes ->
                    routes.get(
                        "/api/runs/tail-run/events",
                        (req, res) -> {
                          String last = req.requestHeaders().get("Last-Event-ID");
                          lastEventIds.add(String.valueOf(last));
                          long after = last == null ? -1 : Long.parseLong(last);
                          if (after == run.size() - 1) return res.status(204).send();
                          Flux<String> frames =
                              Flux.fromIterable(run)
                                  .filter(e -> e.seq() > after)
                                  .map(
                                      e ->
                                          "id: "
                                              + e.seq()
                                              + "\nevent: "
                                              + e.type()
                                              + "\ndata: "
                                              + CODEC.encode(e)
                                              + "\n\n");
                          if (last == null && cutAfter < run.size()) {
                            frames =
                                frames
                                    .take(cutAfter)
                                    .concatWith(Flux.error(new IllegalStateException("cut")));
                          }
                          return res.header("Content-Type", "text/event-stream")
                              .sendString(frames.startWith("retry: 100\n\n"));
                        }))
            .bindNow();
  }

  @AfterEach
  void stop() {
    if (server != null) server.disposeNow();
  }

  private int tail(String... args) {
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 1];
    all[0] = "tail";
    System.arraycopy(args, 0, all, 1, args.length);
    return cl.execute(all);
  }

  private String runUrl() {
    return "http://127.0.0.1:" + server.port() + "/api/runs/tail-run";
  }

  @Test
  void streamCutMidRunStillPrintsEveryEpochOnce() {
    serve(7);

    int code = tail(runUrl());

    assertThat(code).as(err.toString()).isZero();
    assertThat(lastEventIds).first().isEqualTo("null");
    assertThat(lastEventIds).contains("6");
    for (int epoch = 1; epoch <= 12; epoch++) {
      Matcher m = Pattern.compile("(?m)^\\s+" + epoch + "\\s+\\d\\.\\d{4}").matcher(out.toString());
      int count = 0;
      while (m.find()) count++;
      assertThat(count).as("lines for epoch %d in%n%s", epoch, out).isEqualTo(1);
    }
    assertThat(out.toString()).contains("Completed after 12 epochs");
  }

  @Test
  void ndjsonFormatPrintsEveryEventExactlyOnceInOrder() {
    serve(3);

    int code = tail(runUrl(), "--format", "ndjson");

    assertThat(code).as(err.toString()).isZero();
    List<TrainingEvent> printed =
        out.toString().lines().filter(l -> !l.isBlank()).map(CODEC::decode).toList();
    assertThat(printed).isEqualTo(run);
  }

  @Test
  void runReadToItsEndIsNotReconnected() {
    serve(Integer.MAX_VALUE);

    assertThat(tail(runUrl(), "--format", "ndjson")).isZero();
    assertThat(lastEventIds).containsExactly("null");
  }

  @Test
  void cutJustBeforeTheEndStillDeliversTheTerminalEvent() {
    serve(run.size() - 1);

    assertThat(tail(runUrl(), "--format", "ndjson")).isZero();
    assertThat(out.toString().lines().map(CODEC::decode).toList()).isEqualTo(run);
    assertThat(lastEventIds).hasSize(2);
  }

  @Test
  void badFormatAndBadUrlAreRefusedWithAMessage() {
    serve(1);
    assertThat(tail(runUrl(), "--format", "xml")).isEqualTo(TailCommand.BAD_INPUT);
    assertThat(err.toString()).contains("--format table or ndjson required but was xml");
    assertThat(tail("ftp://example/x")).isEqualTo(TailCommand.BAD_INPUT);
    assertThat(err.toString()).contains("an http:// or https:// URL required");
  }

  /** A loopback port nothing listens on: connecting is refused at once. */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Test
  void aServerThatIsDownIsNamedWithTheCauseThenRetriedVisiblyAndGivenUp() throws IOException {
    String base = "http://127.0.0.1:" + closedPort();
    for (String url : List.of(base, base + "/api/runs/some-run")) {
      err.getBuffer().setLength(0);
      assertThat(tail(url, "--max-retries", "2")).as(url).isEqualTo(TailCommand.FAILED);
      List<String> lines = err.toString().lines().toList();
      assertThat(lines.get(0))
          .as(url)
          .startsWith("trainscope tail: cannot connect to " + base + "/api/")
          .endsWith(": connection refused");
      assertThat(lines).as(url).anyMatch(l -> l.contains("retry 1 of 2"));
      assertThat(lines).as(url).anyMatch(l -> l.contains("retry 2 of 2"));
      assertThat(lines.get(lines.size() - 1))
          .as(url)
          .isEqualTo("trainscope tail: giving up after 2 retries");
      assertThat(err.toString()).doesNotContain("null");
    }
  }
}
