package dev.trainscope.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/** A real server on 127.0.0.1, port 0, and a client for it. Close it after each test. */
public final class ServerFixture implements AutoCloseable {
  public static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  public final TrainscopeServer server;
  public final HttpClient client;

  public ServerFixture(ServerConfig config) throws Exception {
    server = TrainscopeServer.start(config);
    // A connection per request, never the JVM-wide pool: a later test's server can get an earlier
    // one's port, and a pooled connection to the old server must not be reused against it.
    client =
        HttpClient.create(ConnectionProvider.newConnection())
            .baseUrl("http://127.0.0.1:" + server.port());
  }

  public static ServerConfig config(Path dataDir) {
    return ServerConfig.builder()
        .port(0)
        .dataDir(dataDir)
        .keepAlive(Duration.ofSeconds(15))
        .build();
  }

  public static ServerFixture start(Path dataDir) throws Exception {
    return new ServerFixture(config(dataDir));
  }

  @Override
  public void close() {
    server.close();
  }

  /** A complete response. */
  public record Response(int status, HttpHeaders headers, String body) {
    public JsonNode json() {
      try {
        return MAPPER.readTree(body);
      } catch (Exception e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }
  }

  public Response request(HttpMethod method, String uri, String body, Map<String, String> headers) {
    HttpClient c = client.headers(h -> headers.forEach(h::set));
    HttpClient.RequestSender sender = c.request(method).uri(uri);
    HttpClient.ResponseReceiver<?> receiver =
        body == null ? sender : sender.send(ByteBufFlux.fromString(Mono.just(body)));
    return receiver
        .responseSingle(
            (res, buf) ->
                buf.asString()
                    .defaultIfEmpty("")
                    .map(s -> new Response(res.status().code(), res.responseHeaders(), s)))
        .block(TIMEOUT);
  }

  public Response get(String uri) {
    return request(HttpMethod.GET, uri, null, Map.of());
  }

  public Response post(String uri, String body) {
    return request(HttpMethod.POST, uri, body, Map.of());
  }

  /** Starts a run; returns its id. */
  public String startRun(String config) {
    Response r = post("/api/runs", config);
    if (r.status() != 201) throw new AssertionError("run not created: " + r);
    return r.json().get("id").asText();
  }

  /** One parsed Server-Sent Event. */
  public record Sse(String id, String event, String data) {}

  /** The SSE stream at {@code uri}, parsed into events (comments and retry dropped). */
  public Flux<Sse> sse(String uri, Map<String, String> headers) {
    return client
        .headers(h -> headers.forEach(h::set))
        .get()
        .uri(uri)
        .response(
            (res, body) -> {
              if (res.status().code() != 200) {
                return Flux.error(new AssertionError("status " + res.status().code()));
              }
              SseParser parser = new SseParser();
              return body.asString().concatMapIterable(parser::feed);
            });
  }

  public Flux<Sse> sse(String uri) {
    return sse(uri, Map.of());
  }

  /**
   * As {@link #sse(String)}, telling {@code opened} once the response's headers arrived: the server
   * has set the stream up, so what happens after that is on it.
   */
  public Flux<Sse> sse(String uri, Sinks.Empty<Void> opened) {
    return client
        .get()
        .uri(uri)
        .response(
            (res, body) -> {
              opened.tryEmitEmpty();
              SseParser parser = new SseParser();
              return body.asString().concatMapIterable(parser::feed);
            });
  }

  /** Waits for the run to finish by reading its stream to the end; returns its events. */
  public List<Sse> awaitFinished(String runId) {
    return sse("/api/runs/" + runId + "/events").collectList().block(TIMEOUT);
  }

  /** Splits chunks into lines for the product's own SSE parser (the one {@code tail} uses). */
  public static final class SseParser {
    private final StringBuilder pending = new StringBuilder();
    private final dev.trainscope.server.client.SseParser parser =
        new dev.trainscope.server.client.SseParser();

    public List<Sse> feed(String chunk) {
      pending.append(chunk);
      List<Sse> out = new ArrayList<>();
      int nl;
      while ((nl = pending.indexOf("\n")) >= 0) {
        String line = pending.substring(0, nl);
        pending.delete(0, nl + 1);
        parser.accept(line).ifPresent(m -> out.add(new Sse(m.id(), m.event(), m.data())));
      }
      return out;
    }
  }
}
