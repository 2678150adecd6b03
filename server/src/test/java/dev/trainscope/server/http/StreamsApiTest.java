package dev.trainscope.server.http;

import static dev.trainscope.server.ServerFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trainscope.server.ServerFixture;
import dev.trainscope.server.ServerFixture.Sse;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

class StreamsApiTest {
  @TempDir Path data;
  ServerFixture fx;

  @AfterEach
  void stop() {
    if (fx != null) fx.close();
  }

  private static List<Long> ids(List<Sse> events) {
    return events.stream().map(e -> Long.parseLong(e.id())).toList();
  }

  private static List<Long> range(long n) {
    return LongStream.range(0, n).boxed().toList();
  }

  @Test
  void replayOfAFinishedRunSendsEveryEventThenEnds() throws Exception {
    fx = ServerFixture.start(data);
    String id = fx.startRun("{\"epochs\":3}");
    int total = fx.awaitFinished(id).size();

    List<Sse> seen = new ArrayList<>();
    StepVerifier.create(fx.sse("/api/runs/" + id + "/events"))
        .assertNext(e -> assertThat(e.event()).isEqualTo("run-started"))
        .recordWith(() -> seen)
        .thenConsumeWhile(e -> true)
        .expectComplete()
        .verify(TIMEOUT);
    assertThat(seen).hasSize(total - 1);
    assertThat(seen.get(seen.size() - 1).event()).isEqualTo("run-completed");
    assertThat(seen.get(0).data()).contains("\"seq\":1");
  }

  @Test
  void liveRunIsStreamedFromTheFirstEvent() throws Exception {
    fx = ServerFixture.start(data);
    String id = fx.startRun("{\"epochs\":6,\"epochDelayMs\":40}");
    List<Sse> seen = new ArrayList<>();
    StepVerifier.create(fx.sse("/api/runs/" + id + "/events"))
        .recordWith(() -> seen)
        .thenConsumeWhile(e -> true)
        .expectComplete()
        .verify(TIMEOUT);
    assertThat(ids(seen)).isEqualTo(range(seen.size()));
    assertThat(seen.get(seen.size() - 1).event()).isEqualTo("run-completed");
    assertThat(seen.get(0).event()).isEqualTo("run-started");
  }

  @Test
  void twoSubscribersSeeIdenticalSequences() throws Exception {
    fx = ServerFixture.start(data);
    String id = fx.startRun("{\"epochs\":5,\"epochDelayMs\":30}");
    String uri = "/api/runs/" + id + "/events";
    StepVerifier.create(Mono.zip(fx.sse(uri).collectList(), fx.sse(uri).collectList()))
        .assertNext(
            both -> {
              assertThat(both.getT1()).isEqualTo(both.getT2());
              assertThat(ids(both.getT1())).isEqualTo(range(both.getT1().size()));
            })
        .expectComplete()
        .verify(TIMEOUT);
  }

  @Test
  void resumeAfterLastEventIdLosesNothingAndRepeatsNothing() throws Exception {
    fx = ServerFixture.start(data);
    String id = fx.startRun("{\"epochs\":8,\"epochDelayMs\":30}");
    String uri = "/api/runs/" + id + "/events";
    List<Sse> first = fx.sse(uri).take(5).collectList().block(TIMEOUT);
    String last = first.get(first.size() - 1).id();
    List<Sse> rest = new ArrayList<>();
    StepVerifier.create(fx.sse(uri, Map.of("Last-Event-ID", last)))
        .recordWith(() -> rest)
        .thenConsumeWhile(e -> true)
        .expectComplete()
        .verify(TIMEOUT);
    List<Sse> all = new ArrayList<>(first);
    all.addAll(rest);
    assertThat(ids(all)).isEqualTo(range(all.size()));
    assertThat(all).isEqualTo(fx.awaitFinished(id));
    // ?after= does the same.
    StepVerifier.create(fx.sse(uri + "?after=" + last))
        .expectNextSequence(rest)
        .expectComplete()
        .verify(TIMEOUT);
  }

  @Test
  void reconnectAfterTheLastEventOfAFinishedRunGets204() throws Exception {
    fx = ServerFixture.start(data);
    String id = fx.startRun("{\"epochs\":2}");
    List<Sse> all = fx.awaitFinished(id);
    String lastId = all.get(all.size() - 1).id();
    var res =
        fx.request(
            io.netty.handler.codec.http.HttpMethod.GET,
            "/api/runs/" + id + "/events",
            null,
            Map.of("Last-Event-ID", lastId));
    assertThat(res.status()).isEqualTo(204);
  }

  @Test
  void malformedLastEventIdIs400() throws Exception {
    fx = ServerFixture.start(data);
    String id = fx.startRun("{\"epochs\":2}");
    var res =
        fx.request(
            io.netty.handler.codec.http.HttpMethod.GET,
            "/api/runs/" + id + "/events",
            null,
            Map.of("Last-Event-ID", "twelve"));
    assertThat(res.status()).isEqualTo(400);
    assertThat(res.json().get("field").asText()).isEqualTo("Last-Event-ID");
    assertThat(fx.get("/api/runs/" + id + "/events?types=nope").status()).isEqualTo(400);
  }

  @Test
  void typesFilterSendsOnlyThoseTypes() throws Exception {
    fx = ServerFixture.start(data);
    String id = fx.startRun("{\"epochs\":4}");
    fx.awaitFinished(id);
    List<Sse> epochs = new ArrayList<>();
    StepVerifier.create(fx.sse("/api/runs/" + id + "/events?types=epoch,run-completed"))
        .recordWith(() -> epochs)
        .thenConsumeWhile(e -> true)
        .expectComplete()
        .verify(TIMEOUT);
    assertThat(epochs)
        .extracting(Sse::event)
        .containsExactly("epoch", "epoch", "epoch", "epoch", "run-completed");
  }

  @Test
  void stalledSubscriberDelaysNeitherTrainingNorOthersAndLaterGetsEverything() throws Exception {
    fx = ServerFixture.start(data);
    String id = fx.startRun("{\"epochs\":30,\"traceEvery\":1,\"epochDelayMs\":5}");
    String uri = "/api/runs/" + id + "/events";
    List<Sse> stalled = new ArrayList<>();
    StepVerifier.create(fx.sse(uri), 1)
        .recordWith(() -> stalled)
        .expectNextCount(1)
        .then(
            () -> {
              // Meanwhile another subscriber reads the whole run, and the run finishes.
              List<Sse> other = fx.awaitFinished(id);
              assertThat(other.get(other.size() - 1).event()).isEqualTo("run-completed");
              assertThat(fx.get("/api/runs/" + id).json().get("state").asText())
                  .isEqualTo("completed");
            })
        .thenRequest(Long.MAX_VALUE)
        .thenConsumeWhile(e -> true)
        .expectComplete()
        .verify(TIMEOUT);
    assertThat(ids(stalled)).isEqualTo(range(stalled.size()));
    assertThat(stalled).isEqualTo(fx.awaitFinished(id));
  }

  @Test
  void clientDisconnectClosesItsStreamPromptly() throws Exception {
    fx = ServerFixture.start(data);
    String id = fx.startRun("{\"epochs\":100,\"epochDelayMs\":200}");
    CountDownLatch received = new CountDownLatch(2);
    Disposable client = fx.sse("/api/runs/" + id + "/events").subscribe(e -> received.countDown());
    assertThat(received.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(openStreams()).isEqualTo(1);

    client.dispose();

    // The server notices the closed connection and releases the stream (reader, file handle).
    StepVerifier.create(
            Flux.interval(Duration.ofMillis(20), Schedulers.boundedElastic())
                .map(i -> openStreams())
                .filter(n -> n == 0)
                .next())
        .expectNext(0)
        .expectComplete()
        .verify(Duration.ofSeconds(5));
    assertThat(fx.post("/api/runs/" + id + "/stop", "").status()).isEqualTo(200);
  }

  private int openStreams() {
    return fx.get("/metrics")
        .body()
        .lines()
        .filter(l -> l.startsWith("trainscope_streams_open "))
        .map(l -> (int) Double.parseDouble(l.substring(l.indexOf(' ') + 1)))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void ndjsonReturnsTheStoredEventsOnePerLine() throws Exception {
    fx = ServerFixture.start(data);
    String id = fx.startRun("{\"epochs\":3}");
    List<Sse> all = fx.awaitFinished(id);
    var res = fx.get("/api/runs/" + id + "/events.ndjson");
    assertThat(res.status()).isEqualTo(200);
    assertThat(res.headers().get("Content-Type")).startsWith("application/x-ndjson");
    assertThat(res.body().split("\n"))
        .containsExactlyElementsOf(all.stream().map(Sse::data).toList());
    assertThat(fx.get("/api/runs/" + id + "/events.ndjson?after=" + (all.size() - 2)).body())
        .isEqualTo(all.get(all.size() - 1).data() + "\n");
  }

  @Test
  void idleStreamGetsKeepAliveComments() throws Exception {
    fx =
        new ServerFixture(
            ServerFixture.config(data).toBuilder().keepAlive(Duration.ofMillis(100)).build());
    String id = fx.startRun("{\"epochs\":3,\"epochDelayMs\":3000}");
    StepVerifier.create(
            fx.client
                .get()
                .uri("/api/runs/" + id + "/events")
                .response((res, body) -> body.asString())
                .filter(s -> s.contains(": keep-alive\n"))
                .next())
        .expectNextCount(1)
        .expectComplete()
        .verify(TIMEOUT);
    assertThat(fx.post("/api/runs/" + id + "/stop", "").status()).isEqualTo(200);
  }

  @Test
  void allRunsStreamCarriesRunIdAndSeqIds() throws Exception {
    fx = ServerFixture.start(data);
    List<Sse> seen = new ArrayList<>();
    String[] id = new String[1];
    StepVerifier.create(fx.sse("/api/events").takeUntil(e -> e.event().equals("run-completed")))
        .then(() -> id[0] = fx.startRun("{\"epochs\":2}"))
        .recordWith(() -> seen)
        .thenConsumeWhile(e -> true)
        .expectComplete()
        .verify(TIMEOUT);
    for (int i = 0; i < seen.size(); i++) {
      assertThat(seen.get(i).id()).isEqualTo(id[0] + ":" + i);
    }
  }

  @Test
  void theRunListStreamSendsEachSummaryEventOnceToEverySubscriberAndNothingElse() throws Exception {
    fx = ServerFixture.start(data);
    String uri = "/api/events?types=epoch,run-completed";
    Mono<List<Sse>> first =
        fx.sse(uri).takeUntil(e -> e.event().equals("run-completed")).collectList().cache();
    Mono<List<Sse>> second =
        fx.sse(uri).takeUntil(e -> e.event().equals("run-completed")).collectList().cache();
    Disposable a = first.subscribe();
    Disposable b = second.subscribe();
    try {
      StepVerifier.create(
              Flux.interval(Duration.ofMillis(20), Schedulers.boundedElastic())
                  .map(i -> openStreams())
                  .filter(n -> n == 2)
                  .next())
          .expectNext(2)
          .expectComplete()
          .verify(Duration.ofSeconds(10));
      String id = fx.startRun("{\"epochs\":4,\"epochDelayMs\":20}");
      List<Sse> run = fx.awaitFinished(id);
      List<Sse> expected =
          run.stream()
              .filter(e -> e.event().equals("epoch") || e.event().equals("run-completed"))
              .map(e -> new Sse(id + ":" + e.id(), e.event(), e.data()))
              .toList();
      assertThat(expected).hasSize(5);
      assertThat(first.block(TIMEOUT)).isEqualTo(expected);
      assertThat(second.block(TIMEOUT)).isEqualTo(expected);
    } finally {
      a.dispose();
      b.dispose();
    }
  }

  @Test
  void resumePointsAtOrBeyondTheEndOfAFinishedRunGet204NotAReplay() throws Exception {
    fx = ServerFixture.start(data);
    String id = fx.startRun("{\"epochs\":2}");
    fx.awaitFinished(id);
    String uri = "/api/runs/" + id + "/events";
    for (String past :
        List.of("9223372036854775807", "9223372036854775806", "99999999999999999999")) {
      assertThat(fx.request(HttpMethod.GET, uri, null, Map.of("Last-Event-ID", past)).status())
          .as("Last-Event-ID %s", past)
          .isEqualTo(204);
      assertThat(fx.get(uri + "?after=" + past).status()).as("after=%s", past).isEqualTo(204);
      var ndjson = fx.get("/api/runs/" + id + "/events.ndjson?after=" + past);
      assertThat(ndjson.status()).isEqualTo(200);
      assertThat(ndjson.body()).as("ndjson after=%s", past).isEmpty();
    }
  }

  @Test
  void resumePointsThatAreNotNonNegativeIntegersAre400() throws Exception {
    fx = ServerFixture.start(data);
    String id = fx.startRun("{\"epochs\":2}");
    String uri = "/api/runs/" + id + "/events";
    for (String bad : List.of("-1", "+3", "1.0", "0x10", "\u0663", "1e3")) {
      var sse = fx.request(HttpMethod.GET, uri, null, Map.of("Last-Event-ID", bad));
      assertThat(sse.status()).as("Last-Event-ID %s", bad).isEqualTo(400);
      assertThat(sse.json().get("field").asText()).isEqualTo("Last-Event-ID");
      String query = java.net.URLEncoder.encode(bad, java.nio.charset.StandardCharsets.UTF_8);
      var after = fx.get(uri + "?after=" + query);
      assertThat(after.status()).as("after=%s", bad).isEqualTo(400);
      assertThat(after.json().get("field").asText()).isEqualTo("after");
      var ndjson = fx.get("/api/runs/" + id + "/events.ndjson?after=" + query);
      assertThat(ndjson.status()).as("ndjson after=%s", bad).isEqualTo(400);
    }
  }

  /**
   * Sends {@code HEAD path} then {@code GET /health} on one connection and returns the statuses
   * answered within 10 s: the second comes only once the HEAD response has ended.
   */
  private static List<Integer> headThenHealth(int port, String path) throws Exception {
    String requests =
        "HEAD "
            + path
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
            + "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    List<Integer> statuses = new ArrayList<>();
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(requests.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      var in =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(
                  socket.getInputStream(), java.nio.charset.StandardCharsets.ISO_8859_1));
      String line;
      try {
        while (statuses.size() < 2 && (line = in.readLine()) != null) {
          if (line.startsWith("HTTP/1.1 ")) statuses.add(Integer.parseInt(line.substring(9, 12)));
        }
      } catch (java.net.SocketTimeoutException stillOpen) {
        // the HEAD response never ended
      }
    }
    return statuses;
  }

  @Test
  void headOnALiveStreamAnswersTheHeadersAndEndsWithoutHoldingAStream() throws Exception {
    fx = ServerFixture.start(data);
    String id = fx.startRun("{\"epochs\":100000,\"epochDelayMs\":50}");
    int port = fx.server.port();
    for (String path :
        List.of(
            "/api/runs/" + id + "/events",
            "/api/events",
            "/api/runs/" + id + "/events.ndjson?follow=true",
            "/api/runs/" + id + "/events.ndjson",
            "/api/runs/" + id + "/metrics.csv",
            "/api/runs/" + id,
            "/health")) {
      assertThat(headThenHealth(port, path)).as("HEAD %s", path).containsExactly(200, 200);
    }
    var head = fx.client.head().uri("/api/runs/" + id + "/events").response().block(TIMEOUT);
    assertThat(head.status().code()).isEqualTo(200);
    assertThat(head.responseHeaders().get("Content-Type")).startsWith("text/event-stream");
    assertThat(fx.get("/metrics").body()).contains("trainscope_streams_open 0.0");
    assertThat(fx.post("/api/runs/" + id + "/stop", "").status()).isEqualTo(200);
  }
}
