package dev.trainscope.server.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.reactivestreams.Publisher;

/**
 * Maps method and path to one handler. A path that matches a route under another method is a {@code
 * 405} (with {@code Allow}); a path only a {@link #notFound} pattern matches is a {@code 404}; any
 * other path falls to the fallback (static files).
 */
public final class Router {
  /** A handler: one route, one small function. */
  public interface Handler extends Function<Exchange, Publisher<Void>> {}

  private record Route(HttpMethod method, Pattern pattern, Handler handler) {}

  private final List<Route> routes = new ArrayList<>();
  private final List<Pattern> notFound = new ArrayList<>();
  private Handler fallback;

  /** {@code path} is a regex; its groups become the exchange's params. */
  public Router route(HttpMethod method, String path, Handler handler) {
    routes.add(new Route(method, Pattern.compile(path), handler));
    return this;
  }

  /**
   * Paths matching {@code path} that no route serves are a JSON 404 under any method, never the
   * fallback. Checked after the routes, so a known path under another method stays a 405.
   */
  public Router notFound(String path) {
    notFound.add(Pattern.compile(path));
    return this;
  }

  public Router fallback(Handler handler) {
    this.fallback = handler;
    return this;
  }

  public Publisher<Void> dispatch(Exchange exchange) {
    Set<String> allowed = new TreeSet<>();
    HttpMethod method = exchange.request().method();
    for (Route route : routes) {
      Matcher m = route.pattern().matcher(exchange.path());
      if (!m.matches()) continue;
      if (route.method().equals(method)
          || (method.equals(HttpMethod.HEAD) && route.method().equals(HttpMethod.GET))) {
        List<String> params = new ArrayList<>();
        for (int i = 1; i <= m.groupCount(); i++) params.add(m.group(i));
        return route.handler().apply(exchange.withParams(params));
      }
      allowed.add(route.method().name());
      if (route.method().equals(HttpMethod.GET)) allowed.add(HttpMethod.HEAD.name());
    }
    if (!allowed.isEmpty()) {
      exchange.response().header("Allow", String.join(", ", allowed));
      throw new ApiException(
          HttpResponseStatus.METHOD_NOT_ALLOWED,
          method.name()
              + " not allowed on "
              + exchange.path()
              + "; allowed: "
              + String.join(", ", allowed));
    }
    for (Pattern p : notFound) {
      if (p.matcher(exchange.path()).matches()) throw ApiException.notFound(exchange.path());
    }
    if (fallback != null) return fallback.apply(exchange);
    throw ApiException.notFound(exchange.path());
  }
}
