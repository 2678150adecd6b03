package dev.trainscope.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainscope.server.ServerFixture;
import dev.trainscope.server.ServerFixture.Response;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouterTest {
  @TempDir Path data;
  ServerFixture fx;

  @BeforeEach
  void start() throws Exception {
    fx = ServerFixture.start(data);
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  @Test
  void aGetOnAPostOnlyRouteIs405NamingTheAllowedMethod() {
    for (String path :
        new String[] {"/api/runs/abc/stop", "/api/runs/abc/pause", "/api/runs/abc/finish"}) {
      Response r = fx.get(path);
      assertThat(r.status()).as(path).isEqualTo(405);
      assertThat(r.headers().get("Allow")).as(path).isEqualTo("POST");
      assertThat(r.json().get("error").asText()).as(path).contains("GET").contains("POST");
    }
  }

  @Test
  void aPostOnAGetOnlyRouteIs405AllowingGetAndHead() {
    Response r = fx.post("/api/runs/abc/metrics.csv", "");
    assertThat(r.status()).isEqualTo(405);
    assertThat(r.headers().get("Allow")).isEqualTo("GET, HEAD");
  }

  @Test
  void aPathNoRouteKnowsIs404AndARouteWithTwoMethodsServesBoth() {
    assertThat(fx.get("/api/nosuch").status()).isEqualTo(404);
    assertThat(fx.post("/api/nosuch", "{}").status()).isEqualTo(404);
    assertThat(fx.request(HttpMethod.PUT, "/api/runs", "{}", Map.of()).headers().get("Allow"))
        .isEqualTo("GET, HEAD, POST");
    assertThat(fx.get("/api/runs/abc/events").status()).isEqualTo(404); // GET route, unknown run
  }
}
