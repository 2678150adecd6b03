package dev.trainscope.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

/** Sends JSON bodies and errors. */
public final class Json {
  public static final String CONTENT_TYPE = "application/json";
  private final ObjectMapper mapper;

  public Json(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public ObjectMapper mapper() {
    return mapper;
  }

  public Publisher<Void> send(HttpServerResponse res, HttpResponseStatus status, Object body) {
    byte[] bytes;
    try {
      bytes = mapper.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      return Mono.error(e);
    }
    return res.status(status)
        .header("Content-Type", CONTENT_TYPE)
        .header("Cache-Control", "no-store")
        .sendByteArray(Mono.just(bytes));
  }

  public Publisher<Void> ok(HttpServerResponse res, Object body) {
    return send(res, HttpResponseStatus.OK, body);
  }

  /** {@code {"error": ..., "field": ...}}. */
  public Publisher<Void> error(
      HttpServerResponse res, HttpResponseStatus status, String message, String field) {
    ObjectNode node = mapper.createObjectNode();
    node.put("error", message);
    node.put("field", field);
    return send(res, status, node);
  }
}
