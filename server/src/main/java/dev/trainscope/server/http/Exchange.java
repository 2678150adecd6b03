package dev.trainscope.server.http;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/** One request being handled: request, response, path parameters and query. */
public record Exchange(
    HttpServerRequest request,
    HttpServerResponse response,
    String path,
    List<String> params,
    Map<String, List<String>> query) {

  public static Exchange of(HttpServerRequest req, HttpServerResponse res) {
    String uri = req.uri();
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    Map<String, List<String>> query = q < 0 ? Map.of() : new QueryStringDecoder(uri).parameters();
    return new Exchange(req, res, path, List.of(), query);
  }

  public Exchange withParams(List<String> p) {
    return new Exchange(request, response, path, p, query);
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
