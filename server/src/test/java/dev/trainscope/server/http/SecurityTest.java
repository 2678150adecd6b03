package dev.trainscope.server.http;

import static dev.trainscope.server.ServerFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.OutputStreamAppender;
import dev.trainscope.server.ServerConfig;
import dev.trainscope.server.ServerFixture;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import reactor.test.StepVerifier;

class SecurityTest {
  @TempDir Path data;
  ServerFixture fx;

  @AfterEach
  void stop() {
    if (fx != null) fx.close();
  }

  @Test
  void tokenIsRequiredWhenConfigured() throws Exception {
    fx = new ServerFixture(ServerFixture.config(data).toBuilder().token("s3cret").build());
    assertThat(fx.post("/api/runs", "{\"epochs\":2}").status()).isEqualTo(401);
    assertThat(
            fx.request(HttpMethod.POST, "/api/runs", "{}", Map.of("Authorization", "Bearer wrong"))
                .status())
        .isEqualTo(401);
    var created =
        fx.request(
            HttpMethod.POST,
            "/api/runs",
            "{\"epochs\":2}",
            Map.of("Authorization", "Bearer s3cret"));
    assertThat(created.status()).isEqualTo(201);
    String id = created.json().get("id").asText();
    assertThat(fx.get("/api/runs/" + id + "/events").status()).isEqualTo(401);
    // EventSource cannot send headers: streams take ?access_token=.
    StepVerifier.create(fx.sse("/api/runs/" + id + "/events?access_token=s3cret").last())
        .expectNextMatches(e -> e.event().equals("run-completed"))
        .expectComplete()
        .verify(TIMEOUT);
    // A query token never authorizes a mutation.
    assertThat(fx.post("/api/runs?access_token=s3cret", "{}").status()).isEqualTo(401);
    assertThat(fx.get("/health").status()).isEqualTo(200);
  }

  @Test
  void bindingBeyondLoopbackRequiresAToken() {
    assertThatThrownBy(() -> ServerConfig.builder().host("0.0.0.0").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--token");
    assertThat(ServerConfig.builder().token("t").host("0.0.0.0").build().host())
        .isEqualTo("0.0.0.0");
  }

  @Test
  void corsIsOffByDefaultAndAllowsOnlyTheConfiguredOrigin() throws Exception {
    fx = ServerFixture.start(data);
    assertThat(
            fx.request(HttpMethod.GET, "/api/runs", null, Map.of("Origin", "http://evil.example"))
                .headers()
                .get("Access-Control-Allow-Origin"))
        .isNull();
    fx.close();
    fx =
        new ServerFixture(
            ServerFixture.config(data).toBuilder().corsOrigin("http://ok.example").build());
    assertThat(
            fx.request(HttpMethod.GET, "/api/runs", null, Map.of("Origin", "http://ok.example"))
                .headers()
                .get("Access-Control-Allow-Origin"))
        .isEqualTo("http://ok.example");
    assertThat(
            fx.request(HttpMethod.GET, "/api/runs", null, Map.of("Origin", "http://evil.example"))
                .headers()
                .get("Access-Control-Allow-Origin"))
        .isNull();
  }

  private ServerFixture.Response post(String uri, String body, Map<String, String> headers) {
    return fx.request(HttpMethod.POST, uri, body, headers);
  }

  private void assertRefused(ServerFixture.Response r, int status, String field) {
    assertThat(r.status()).as(r.toString()).isEqualTo(status);
    assertThat(r.json().get("field").asText()).isEqualTo(field);
    assertThat(r.json().get("error").asText()).isNotBlank();
  }

  @Test
  void crossOriginPagesCanNeitherCreateNorPushNorStopRuns() throws Exception {
    fx = ServerFixture.start(data);
    String running = fx.startRun("{\"epochs\":1000000,\"epochDelayMs\":50}");
    String external = fx.startRun("{\"external\":true}");
    Map<String, String> evilText =
        Map.of("Origin", "http://evil.example", "Content-Type", "text/plain");
    Map<String, String> evilForm =
        Map.of("Origin", "http://evil.example", "Content-Type", RemoteApi.FORM);

    assertRefused(post("/api/runs", "{\"epochs\":1000000}", evilText), 403, "Origin");
    assertRefused(post("/api/runs", "{\"external\":true}", evilText), 403, "Origin");
    assertRefused(
        post("/api/runs/" + external + "/events", "{\"type\":\"epoch\",\"epoch\":1}", evilText),
        403,
        "Origin");
    assertRefused(
        post("/publish/epoch/end/", "data=%7B%22epoch%22%3A0%7D", evilForm), 403, "Origin");
    assertRefused(post("/api/runs/" + running + "/stop", null, evilForm), 403, "Origin");
    // Sandboxed frames and file:// pages send Origin: null; old browsers only Sec-Fetch-Site.
    assertRefused(
        post("/api/runs/" + running + "/stop", null, Map.of("Origin", "null")), 403, "Origin");
    assertRefused(
        post("/api/runs/" + running + "/stop", null, Map.of("Sec-Fetch-Site", "cross-site")),
        403,
        "Sec-Fetch-Site");

    assertThat(fx.get("/api/runs").json()).hasSize(2);
    assertThat(fx.get("/api/runs/" + running).json().get("state").asText())
        .isIn("queued", "running");
    assertThat(fx.get("/api/runs/" + external).json().get("lastEpoch")).isNull();
    assertThat(post("/api/runs/" + running + "/stop", null, Map.of()).status()).isEqualTo(200);
  }

  @Test
  void theDashboardItselfAndTheConfiguredCorsOriginMayPost() throws Exception {
    fx =
        new ServerFixture(
            ServerFixture.config(data).toBuilder().corsOrigin("https://ok.example").build());
    String self = "http://127.0.0.1:" + fx.server.port();
    Map<String, String> json = Map.of("Content-Type", "application/json");
    var sameOrigin =
        post(
            "/api/runs",
            "{\"epochs\":1}",
            Map.of(
                "Origin",
                self,
                "Sec-Fetch-Site",
                "same-origin",
                "Content-Type",
                Json.CONTENT_TYPE));
    assertThat(sameOrigin.status()).as(sameOrigin.toString()).isEqualTo(201);
    var allowed =
        post(
            "/api/runs",
            "{\"epochs\":1}",
            Map.of(
                "Origin",
                "https://ok.example",
                "Sec-Fetch-Site",
                "cross-site",
                "Content-Type",
                Json.CONTENT_TYPE));
    assertThat(allowed.status()).as(allowed.toString()).isEqualTo(201);
    assertThat(allowed.headers().get("Access-Control-Allow-Origin"))
        .isEqualTo("https://ok.example");
    assertThat(post("/api/runs", "{\"epochs\":1}", json).status()).isEqualTo(201);
  }

  @Test
  void jsonApisRefuseFormAndTextBodiesWith415AndTakeJsonNdjsonOrNoContentType() throws Exception {
    fx = ServerFixture.start(data);
    String external = fx.startRun("{\"external\":true}");
    String events = "/api/runs/" + external + "/events";
    String epoch = "{\"type\":\"epoch\",\"epoch\":1,\"loss\":0.5}";
    for (String type :
        List.of(RemoteApi.FORM, "text/plain", "multipart/form-data; boundary=x", "text/json")) {
      assertRefused(
          post("/api/runs", "{\"epochs\":1}", Map.of("Content-Type", type)), 415, "Content-Type");
      assertRefused(post(events, epoch, Map.of("Content-Type", type)), 415, "Content-Type");
    }
    assertRefused(
        post("/api/runs", "{\"epochs\":1}", Map.of("Content-Type", "application/x-ndjson")),
        415,
        "Content-Type");
    assertRefused(
        post("/publish/epoch/end/", "{\"epoch\":0}", Map.of("Content-Type", "text/plain")),
        415,
        "Content-Type");
    assertThat(fx.get("/api/runs").json()).hasSize(1);
    assertThat(fx.get("/api/runs/" + external).json().get("lastEpoch")).isNull();

    assertThat(
            post(
                    "/api/runs",
                    "{\"epochs\":1}",
                    Map.of("Content-Type", "application/json; charset=utf-8"))
                .status())
        .isEqualTo(201);
    // curl -X POST and requests.post without json= send no Content-Type at all.
    assertThat(post("/api/runs", "{\"epochs\":1}", Map.of()).status()).isEqualTo(201);
    assertThat(post(events, epoch, Map.of()).status()).isEqualTo(200);
    assertThat(post(events, epoch.replace("1,", "2,"), ExternalRunsApiTest.NDJSON).status())
        .isEqualTo(200);
    var keras =
        RawHttp.requestsPost(
            fx.server.port(),
            "/publish/epoch/end/",
            RemoteApi.FORM,
            "data=%7B%22epoch%22%3A0%7D",
            Map.of());
    assertThat(keras.status()).as(keras.toString()).isEqualTo(200);
  }

  private static RawHttp.Reply withHost(int port, String host, String path) throws Exception {
    String head = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
    return RawHttp.send(port, head.getBytes(StandardCharsets.US_ASCII), new byte[0]);
  }

  @Test
  void aLoopbackServerAnswersOnlyRequestsAddressedToALoopbackName() throws Exception {
    fx = ServerFixture.start(data);
    int port = fx.server.port();
    for (String rebound :
        List.of(
            "attacker.example",
            "attacker.example:" + port,
            "10.0.0.1:" + port,
            "127.0.0.1.evil.example")) {
      for (String path : List.of("/health", "/api/runs", "/")) {
        RawHttp.Reply r = withHost(port, rebound, path);
        assertThat(r.status()).as("Host %s %s", rebound, path).isEqualTo(403);
        assertThat(r.body()).contains("\"field\":\"Host\"");
      }
    }
    for (String loopback :
        List.of(
            "localhost", "LOCALHOST:" + port, "127.0.0.1:" + port, "127.1.2.3", "[::1]:" + port)) {
      assertThat(withHost(port, loopback, "/api/runs").status())
          .as("Host %s", loopback)
          .isEqualTo(200);
    }
  }

  @Test
  void aServerBoundBeyondLoopbackWithATokenAcceptsAnyHost() {
    Security exposed = new Security("t", null, false);
    exposed.checkHost("trainscope.example.org:8080");
    Security loopback = new Security(null, null, true);
    assertThatThrownBy(() -> loopback.checkHost("trainscope.example.org:8080"))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("trainscope.example.org");
  }

  /** Every log line the server writes while {@code action} runs, formatted as logback.xml says. */
  private static List<String> logsDuring(ThrowingRunnable action) throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    var console = (OutputStreamAppender<ILoggingEvent>) root.getAppender("STDERR");
    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    AppenderBase<ILoggingEvent> capture =
        new AppenderBase<>() {
          @Override
          protected void append(ILoggingEvent e) {
            lines.add(new String(console.getEncoder().encode(e), StandardCharsets.UTF_8));
          }
        };
    capture.setContext(root.getLoggerContext());
    capture.start();
    root.addAppender(capture);
    try {
      action.run();
    } finally {
      root.detachAppender(capture);
    }
    return lines;
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void aMalformedPercentEscapeIs400AndTheTokenInTheUriIsNeverLogged() throws Exception {
    fx = new ServerFixture(ServerFixture.config(data).toBuilder().token("s3cret-t0ken").build());
    List<String> logs =
        logsDuring(
            () -> {
              for (String uri :
                  List.of(
                      "/health?x=%zz&access_token=s3cret-t0ken",
                      "/api/runs?access_token=s3cret-t0ken&x=%e",
                      "/api/runs?%zz=1&access_token=s3cret-t0ken")) {
                String head = "GET " + uri + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
                RawHttp.Reply r =
                    RawHttp.send(
                        fx.server.port(), head.getBytes(StandardCharsets.US_ASCII), new byte[0]);
                assertThat(r.status()).as(uri).isEqualTo(400);
                assertThat(r.headers().get("content-type")).isEqualTo(Json.CONTENT_TYPE);
                assertThat(r.body()).contains("percent").doesNotContain("s3cret");
              }
            });
    assertThat(String.join("", logs)).doesNotContain("s3cret-t0ken");
  }

  @Test
  void theLogFormatRedactsTokensInMessagesAndStackTraces() throws Exception {
    List<String> logs =
        logsDuring(
            () ->
                LoggerFactory.getLogger("test")
                    .error(
                        "GET /api/runs?a=1&access_token=s3cret-t0ken&b=2 Authorization: Bearer s3cret-t0ken",
                        new IllegalArgumentException(
                            "bad '/x?access_token=s3cret-t0ken' authorization=Bearer s3cret-t0ken")));
    String all = String.join("", logs);
    assertThat(all)
        .doesNotContain("s3cret-t0ken")
        .contains("access_token=")
        .contains("a=1&")
        .contains("&b=2");
    assertThat(all).contains("IllegalArgumentException").contains("at dev.trainscope");
  }
}
