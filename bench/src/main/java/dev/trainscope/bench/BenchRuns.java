package dev.trainscope.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;

/** Starting runs through the server's API, shared by the load harnesses. */
final class BenchRuns {
  private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");

  private BenchRuns() {}

  /** {@code POST uri} with a JSON body; returns the response body. */
  static String post(HttpClient http, String uri, String json) {
    return http.headers(h -> h.add("Content-Type", "application/json"))
        .post()
        .uri(uri)
        .send(
            ByteBufFlux.fromString(
                Mono.just(json), StandardCharsets.UTF_8, io.netty.buffer.ByteBufAllocator.DEFAULT))
        .responseSingle((res, body) -> body.asString().defaultIfEmpty(""))
        .block(Duration.ofSeconds(30));
  }

  /** Starts a run from a config; returns its id. */
  static String start(HttpClient http, String config) {
    String created = post(http, "/api/runs", config);
    Matcher id = ID.matcher(created);
    if (!id.find()) throw new IllegalStateException("no run id in " + created);
    return id.group(1);
  }
}
