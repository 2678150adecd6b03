package dev.trainscope.server.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.reactivestreams.Publisher;

/**
 * Maps method and path to one handler. A path that matches a route under another method is a {@code
 * 405} (with {@code Allow}); a path no route matches falls to the fallback (static files).
 */
public final class Router {
  /** A handler: one route, one small function. */
  public interface Handler extends Function<Exchange, Publisher<Void>> {}

  private record Route(HttpMethod method, Pattern pattern, Handler handler) {}

  private final List<Route> routes = new ArrayList<>();
  private Handler fallback;

  /** {@code path} is a regex; its groups become the exchange's params. */
  public Router route(HttpMethod method, String path, Handler handler) {
    routes.add(new Route(method, Pattern.compile(path), handler));
    return this;
  }

  public Router fallback(Handler handler) {
    this.fallback = handler;
    return this;
  }

  public Publisher<Void> dispatch(Exchange exchange) {
    Set<String> allowed = new LinkedHashSet<>();
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
    if (fallback != null) return fallback.apply(exchange);
    throw ApiException.notFound(exchange.path());
  }
}
