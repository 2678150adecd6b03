package dev.trainscope.server.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Bearer-token checks and CORS. With a token configured, every request under {@code /api/}, {@code
 * /metrics} and Keras' {@code /publish/} needs {@code Authorization: Bearer <token>}; GET requests
 * (event streams: EventSource cannot send headers) may pass it as {@code ?access_token=} instead.
 * Compared in constant time. CORS headers are sent only for the one configured origin.
 */
final class Security {
  private final byte[] token;
  private final String corsOrigin;

  Security(String token, String corsOrigin) {
    this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    this.corsOrigin = corsOrigin;
  }

  static boolean needsToken(String path) {
    return path.startsWith("/api/")
        || path.equals("/api")
        || path.equals("/metrics")
        || path.startsWith("/publish/")
        || path.startsWith("//publish/");
  }

  /** Throws 401 unless the request carries the token (when one is configured). */
  void authorize(Exchange ex) {
    if (token == null || !needsToken(ex.path())) return;
    String given = null;
    String auth = ex.header("Authorization");
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      given = auth.substring(7).trim();
    } else if (ex.request().method().equals(HttpMethod.GET)
        || ex.request().method().equals(HttpMethod.HEAD)) {
      given = ex.queryParam("access_token");
    }
    if (given == null || !MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
      ex.response().header("WWW-Authenticate", "Bearer realm=\"trainscope\"");
      throw new ApiException(
          HttpResponseStatus.UNAUTHORIZED,
          "a valid token is required (Authorization: Bearer <token>)",
          "Authorization");
    }
  }

  /** Adds CORS headers for the allowed origin; true when the request is a preflight to answer. */
  boolean cors(Exchange ex) {
    String origin = ex.header("Origin");
    boolean allowed = corsOrigin != null && corsOrigin.equals(origin);
    if (allowed) {
      ex.response()
          .header("Access-Control-Allow-Origin", corsOrigin)
          .header("Vary", "Origin")
          .header("Access-Control-Expose-Headers", "Location");
    }
    boolean preflight =
        ex.request().method().equals(HttpMethod.OPTIONS)
            && ex.header("Access-Control-Request-Method") != null;
    if (preflight && allowed) {
      ex.response()
          .header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
          .header("Access-Control-Allow-Headers", "Authorization, Content-Type, Last-Event-ID")
          .header("Access-Control-Max-Age", "600");
    }
    return preflight;
  }
}
