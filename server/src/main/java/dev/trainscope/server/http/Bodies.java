package dev.trainscope.server.http;

import dev.trainscope.server.json.Utf8;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.ByteArrayOutputStream;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/**
 * Reads request bodies up to a limit ({@code 413} beyond it). Every body the API takes is text
 * (JSON, NDJSON, a form), so one that is not valid UTF-8 is a 400 naming the byte offset.
 */
final class Bodies {
  private Bodies() {}

  static Mono<byte[]> read(HttpServerRequest req, int maxBytes) {
    String length = req.requestHeaders().get("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > maxBytes) return Mono.error(tooLarge(maxBytes));
      } catch (NumberFormatException e) {
        return Mono.error(new ApiException(HttpResponseStatus.BAD_REQUEST, "bad Content-Length"));
      }
    }
    return req.receive()
        .asByteArray()
        .collect(
            ByteArrayOutputStream::new,
            (out, chunk) -> {
              if (out.size() + chunk.length > maxBytes) throw tooLarge(maxBytes);
              out.write(chunk, 0, chunk.length);
            })
        .map(ByteArrayOutputStream::toByteArray)
        .doOnNext(body -> Utf8.check(body, null, "the request body"));
  }

  private static ApiException tooLarge(int maxBytes) {
    return new ApiException(
        HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
        "request body larger than " + maxBytes + " bytes");
  }
}
