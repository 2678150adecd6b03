package dev.trainscope.server.http;

import dev.trainscope.server.runs.Run;
import dev.trainscope.server.runs.RunManager;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The dashboard: files from the classpath under {@code trainscope/web/}, and WebJars under {@code
 * /webjars/} from {@code META-INF/resources/webjars/}. Paths are checked before any lookup: no
 * {@code ..} or {@code .}-segments, no encoded slashes or backslashes, no NUL, no absolute or drive
 * paths, only known file types. Without a dashboard on the classpath, {@code /} is a minimal page
 * listing the runs.
 */
final class StaticFiles {
  static final String WEB_ROOT = "trainscope/web/";
  static final String WEBJARS_ROOT = "META-INF/resources/webjars/";
  private static final Pattern SAFE_SEGMENT = Pattern.compile("[A-Za-z0-9_@+~-][A-Za-z0-9._@+~-]*");
  private static final Map<String, String> TYPES =
      Map.ofEntries(
          Map.entry("html", "text/html; charset=utf-8"),
          Map.entry("js", "text/javascript; charset=utf-8"),
          Map.entry("mjs", "text/javascript; charset=utf-8"),
          Map.entry("css", "text/css; charset=utf-8"),
          Map.entry("json", "application/json"),
          Map.entry("map", "application/json"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("png", "image/png"),
          Map.entry("jpg", "image/jpeg"),
          Map.entry("ico", "image/x-icon"),
          Map.entry("woff2", "font/woff2"),
          Map.entry("txt", "text/plain; charset=utf-8"),
          Map.entry("webmanifest", "application/manifest+json"));

  private final ClassLoader loader;
  private final Scheduler disk;
  private final RunManager runs;

  StaticFiles(ClassLoader loader, Scheduler disk, RunManager runs) {
    this.loader = loader;
    this.disk = disk;
    this.runs = runs;
  }

  /** {@code GET /...}: a static file, or 404. */
  Publisher<Void> serve(Exchange ex) {
    String method = ex.request().method().name();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      ex.response().header("Allow", "GET, HEAD");
      throw new ApiException(
          HttpResponseStatus.METHOD_NOT_ALLOWED, method + " not allowed on " + ex.path());
    }
    String resource = resourceName(ex.path()).orElseThrow(() -> ApiException.notFound(ex.path()));
    String type = TYPES.get(extension(resource));
    // An Optional, not a null: fromCallable turns null into an empty Mono, which went out as an
    // empty 200.
    return Mono.fromCallable(() -> Optional.ofNullable(read(resource)))
        .subscribeOn(disk)
        .flatMap(
            found -> {
              byte[] bytes = found.orElse(null);
              if (bytes == null) {
                if (resource.equals(WEB_ROOT + "index.html")) {
                  return Mono.from(page(ex, fallbackPage()));
                }
                return Mono.error(ApiException.notFound(ex.path()));
              }
              return ex.response()
                  .status(HttpResponseStatus.OK)
                  .header("Content-Type", type)
                  .header("X-Content-Type-Options", "nosniff")
                  .header(
                      "Cache-Control",
                      resource.startsWith(WEBJARS_ROOT) ? "max-age=86400" : "no-cache")
                  .sendByteArray(Mono.just(bytes))
                  .then();
            });
  }

  private Publisher<Void> page(Exchange ex, byte[] html) {
    return ex.response()
        .status(HttpResponseStatus.OK)
        .header("Content-Type", TYPES.get("html"))
        .sendByteArray(Mono.just(html));
  }

  /** The classpath resource for a raw (still percent-encoded) request path, if it is safe. */
  static Optional<String> resourceName(String rawPath) {
    if (rawPath == null || !rawPath.startsWith("/")) return Optional.empty();
    String lower = rawPath.toLowerCase(Locale.ROOT);
    // Encoded separators and NUL never name a file here.
    if (lower.contains("%2f")
        || lower.contains("%5c")
        || lower.contains("%00")
        || rawPath.contains("\\")) {
      return Optional.empty();
    }
    String path;
    try {
      path = URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (path.equals("/") || path.isEmpty()) path = "/index.html";
    if (path.endsWith("/")) path = path + "index.html";
    String[] segments = path.substring(1).split("/", -1);
    for (String segment : segments) {
      if (!SAFE_SEGMENT.matcher(segment).matches())
        return Optional.empty(); // "", ".", "..", ".x", "c:"
    }
    String relative = String.join("/", segments);
    if (!TYPES.containsKey(extension(relative))) return Optional.empty();
    if (relative.startsWith("webjars/")) {
      return Optional.of(WEBJARS_ROOT + relative.substring("webjars/".length()));
    }
    return Optional.of(WEB_ROOT + relative);
  }

  private static String extension(String name) {
    int slash = name.lastIndexOf('/');
    int dot = name.lastIndexOf('.');
    return dot <= slash ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  private byte[] read(String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private byte[] fallbackPage() {
    StringBuilder sb = new StringBuilder();
    sb.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>Trainscope</title></head>")
        .append(
            "<body><h1>Trainscope</h1><p>The dashboard is not built into this jar. Runs:</p><ul>");
    for (Run run : runs.list()) {
      Run.Summary s = run.summary();
      sb.append("<li><a href=\"/api/runs/")
          .append(escape(s.id()))
          .append("/events\">")
          .append(escape(s.id()))
          .append("</a> ")
          .append(escape(s.name()))
          .append(" &mdash; ")
          .append(escape(s.state()))
          .append("</li>");
    }
    sb.append("</ul><p>API: <a href=\"/api/runs\">/api/runs</a></p></body></html>");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String escape(String s) {
    if (s == null) return "";
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
