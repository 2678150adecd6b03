package dev.trainscope.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/** A request the API refuses: sent as {@code {"error": message, "field": field}} with a 4xx. */
public final class ApiException extends RuntimeException {
  private final HttpResponseStatus status;
  private final String field;

  public ApiException(HttpResponseStatus status, String message, String field) {
    super(message, null, false, false);
    this.status = status;
    this.field = field;
  }

  public ApiException(HttpResponseStatus status, String message) {
    this(status, message, null);
  }

  public HttpResponseStatus status() {
    return status;
  }

  public String field() {
    return field;
  }

  public static ApiException notFound(String what) {
    return new ApiException(HttpResponseStatus.NOT_FOUND, what + " not found");
  }
}
