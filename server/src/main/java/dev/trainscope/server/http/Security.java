package dev.trainscope.server.http;

import dev.trainscope.server.json.PushedEvents;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Bearer-token checks, CORS, and the defences against other web pages: cross-site request forgery
 * and DNS rebinding. With a token configured, every request under {@code /api/}, {@code /metrics}
 * and Keras' {@code /publish/} needs {@code Authorization: Bearer <token>}; GET requests (event
 * streams: EventSource cannot send headers) may pass it as {@code ?access_token=} instead. Compared
 * in constant time. CORS headers are sent only for the one configured origin.
 *
 * <p>A browser lets any page send "simple" cross-origin POSTs (form and {@code text/plain} bodies)
 * without asking, so: a mutation from another origin is a 403; API bodies must be declared JSON
 * (415), which a page can only send after a CORS preflight we refuse; and a loopback server answers
 * only requests addressed to a loopback name, since a rebound DNS name reaches it same-origin.
 */
final class Security {
  private static final Pattern IPV4 =
      Pattern.compile("(\\d{1,3})\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  private static final Pattern PORT = Pattern.compile("\\d{0,5}");

  private final byte[] token;
  private final String corsOrigin;
  private final boolean loopbackBind;

  Security(String token, String corsOrigin, boolean loopbackBind) {
    this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    this.corsOrigin = corsOrigin;
    this.loopbackBind = loopbackBind;
  }

  static boolean needsToken(String path) {
    return path.startsWith("/api/")
        || path.equals("/api")
        || path.equals("/metrics")
        || path.startsWith("/publish/")
        || path.startsWith("//publish/");
  }

  /** The query (400), Host (403), Origin of a mutation (403), Content-Type of an API body (415). */
  void screen(Exchange ex) {
    ex.requireWellFormedQuery();
    HttpHeaders h = ex.request().requestHeaders();
    checkHost(h.get("Host"));
    HttpMethod method = ex.request().method();
    if (isSafe(method)) return;
    checkOrigin(h.get("Origin"), h.get("Sec-Fetch-Site"), h.get("Host"));
    String length = h.get("Content-Length");
    boolean hasBody =
        (length != null && !length.trim().equals("0"))
            || h.containsValue("Transfer-Encoding", "chunked", true);
    if (hasBody) checkContentType(ex.path(), h.get("Content-Type"));
  }

  private static boolean isSafe(HttpMethod m) {
    return m.equals(HttpMethod.GET) || m.equals(HttpMethod.HEAD) || m.equals(HttpMethod.OPTIONS);
  }

  /**
   * On a loopback bind, 403 unless {@code Host} is {@code localhost}, {@code 127.x.x.x} or {@code
   * [::1]} (any port). A request without Host (HTTP/1.0 tools) passes: browsers always send one.
   */
  void checkHost(String host) {
    if (!loopbackBind || host == null || isLoopbackHost(host)) return;
    throw new ApiException(
        HttpResponseStatus.FORBIDDEN,
        "Host localhost, 127.x.x.x or [::1] required (this server listens on loopback only) but was "
            + quoted(host),
        "Host");
  }

  static boolean isLoopbackHost(String hostHeader) {
    String host = hostHeader.trim().toLowerCase(Locale.ROOT);
    String port;
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      if (close < 0) return false;
      port = host.substring(close + 1);
      host = host.substring(1, close);
      if (!port.isEmpty() && !port.startsWith(":")) return false;
      port = port.isEmpty() ? "" : port.substring(1);
      // A literal (hex digits and colons only) is parsed without any DNS lookup.
      if (!host.matches("[0-9a-f:.]+")) return false;
      try {
        if (!InetAddress.getByName(host).isLoopbackAddress()) return false;
      } catch (UnknownHostException e) {
        return false;
      }
    } else {
      int colon = host.indexOf(':');
      port = colon < 0 ? "" : host.substring(colon + 1);
      host = colon < 0 ? host : host.substring(0, colon);
      var ipv4 = IPV4.matcher(host);
      boolean loopback =
          host.equals("localhost") || (ipv4.matches() && ipv4.group(1).equals("127"));
      if (!loopback) return false;
    }
    return PORT.matcher(port).matches();
  }

  /**
   * 403 unless a mutation's {@code Origin} is this server (as addressed by {@code Host}) or the
   * allowed {@code --cors-origin}; without Origin, 403 when {@code Sec-Fetch-Site} says another
   * site. Tools (curl, requests, Keras) send neither header.
   */
  void checkOrigin(String origin, String fetchSite, String host) {
    if (origin != null) {
      if (origin.equals(corsOrigin) || isSelf(origin, host)) return;
      throw new ApiException(
          HttpResponseStatus.FORBIDDEN,
          "cross-origin request refused: Origin this server"
              + (host == null ? "" : " (http://" + host + ")")
              + (corsOrigin == null ? "" : " or " + corsOrigin)
              + " required but was "
              + quoted(origin),
          "Origin");
    }
    if (fetchSite != null) {
      String site = fetchSite.trim().toLowerCase(Locale.ROOT);
      if (site.equals("cross-site") || site.equals("same-site")) {
        throw new ApiException(
            HttpResponseStatus.FORBIDDEN,
            "cross-origin request refused: Sec-Fetch-Site same-origin or none required but was "
                + quoted(fetchSite),
            "Sec-Fetch-Site");
      }
    }
  }

  private static boolean isSelf(String origin, String host) {
    if (host == null) return false;
    String o = origin.trim().toLowerCase(Locale.ROOT);
    String h = host.trim().toLowerCase(Locale.ROOT);
    for (String[] scheme : new String[][] {{"http://", ":80"}, {"https://", ":443"}}) {
      if (!o.startsWith(scheme[0])) continue;
      String authority = o.substring(scheme[0].length());
      return authority.equals(h)
          || withoutPort(authority, scheme[1]).equals(withoutPort(h, scheme[1]));
    }
    return false;
  }

  private static String withoutPort(String authority, String defaultPort) {
    return authority.endsWith(defaultPort)
        ? authority.substring(0, authority.length() - defaultPort.length())
        : authority;
  }

  /**
   * 415 unless an API body is declared JSON (NDJSON too for a push; a form too for Keras' {@code
   * /publish/}; CSV for a data set upload). An undeclared type passes as JSON: {@code curl -X POST}
   * and {@code requests.post} without {@code json=} send none, and a browser cannot send a body
   * cross-origin without Origin.
   */
  void checkContentType(String path, String contentType) {
    if (contentType == null || contentType.isBlank()) return;
    boolean keras = path.startsWith("/publish/") || path.startsWith("//publish/");
    if (!keras && !path.startsWith("/api/")) return;
    String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    boolean json = type.equals("application/json") || type.endsWith("+json");
    if (json) return;
    if (keras && type.equals(RemoteApi.FORM)) return;
    boolean push = path.matches("/api/runs/[^/]+/events");
    if (push && PushedEvents.isNdjson(type)) return;
    // An upload is CSV; text/csv is no CORS-safelisted type, so a cross-origin page still needs a
    // preflight to send one.
    boolean upload = path.matches("/api/datasets/?");
    if (upload && type.equals("text/csv")) return;
    String required =
        keras
            ? "application/json or " + RemoteApi.FORM
            : push
                ? "application/json or application/x-ndjson"
                : upload ? "text/csv" : "application/json";
    String hint =
        type.equals(RemoteApi.FORM)
            ? " (curl -d sends that: add -H 'Content-Type: application/json')"
            : "";
    throw new ApiException(
        HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
        "Content-Type " + required + " required but was " + quoted(contentType) + hint,
        "Content-Type");
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

  private static String quoted(String s) {
    return "\"" + s + "\"";
  }
}
