package dev.trainscope.server.http;

import static dev.trainscope.server.ServerFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainscope.server.ServerConfig;
import dev.trainscope.server.ServerFixture;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
    fx = new ServerFixture(ServerFixture.config(data).withToken("s3cret"));
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
    assertThatThrownBy(() -> ServerConfig.defaults().withHost("0.0.0.0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--token");
    assertThat(ServerConfig.defaults().withToken("t").withHost("0.0.0.0").host())
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
    fx = new ServerFixture(ServerFixture.config(data).withCorsOrigin("http://ok.example"));
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
}
