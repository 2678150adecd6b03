package dev.trainscope.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * One request being handled: request, response, path parameters and query. A query that cannot be
 * decoded (a malformed percent escape) leaves {@code badQuery} set: the request is answered 400.
 */
public record Exchange(
    HttpServerRequest request,
    HttpServerResponse response,
    String path,
    List<String> params,
    Map<String, List<String>> query,
    String badQuery) {

  /** Never throws: an exception here would escape to Reactor Netty, which logs the whole URI. */
  public static Exchange of(HttpServerRequest req, HttpServerResponse res) {
    String uri = req.uri();
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    if (q < 0) return new Exchange(req, res, path, List.of(), Map.of(), null);
    String bad = malformedEscape(uri.substring(q + 1));
    if (bad != null) return new Exchange(req, res, path, List.of(), Map.of(), bad);
    try {
      return new Exchange(
          req, res, path, List.of(), new QueryStringDecoder(uri).parameters(), null);
    } catch (IllegalArgumentException e) {
      return new Exchange(req, res, path, List.of(), Map.of(), "the query string");
    }
  }

  /**
   * A description of the first malformed percent escape ({@code %} not followed by two hex digits)
   * naming its parameter, or null. Never quotes a value: it may be a token.
   */
  static String malformedEscape(String query) {
    int start = 0;
    for (String pair : query.split("&", -1)) {
      int at = pair.indexOf('%');
      while (at >= 0) {
        if (!isHex(pair, at + 1) || !isHex(pair, at + 2)) {
          int eq = pair.indexOf('=');
          // Scanning left to right, a name with a bad escape is reported before its value.
          return eq < 0 || at < eq
              ? "a query parameter name at offset " + (start + at)
              : "query parameter \"" + pair.substring(0, eq) + "\"";
        }
        at = pair.indexOf('%', at + 3);
      }
      start += pair.length() + 1;
    }
    return null;
  }

  private static boolean isHex(String s, int i) {
    return i < s.length() && Character.digit(s.charAt(i), 16) >= 0 && s.charAt(i) < 128;
  }

  /** 400 when the query could not be decoded. */
  public void requireWellFormedQuery() {
    if (badQuery == null) return;
    throw new ApiException(
        HttpResponseStatus.BAD_REQUEST,
        badQuery + ": percent escapes %XX with two hex digits required",
        "query");
  }

  public Exchange withParams(List<String> p) {
    return new Exchange(request, response, path, p, query, badQuery);
  }

  public String param(int i) {
    return params.get(i);
  }

  /** The first value of a query parameter, or null. */
  public String queryParam(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  public String header(String name) {
    return request.requestHeaders().get(name);
  }
}
