package dev.trainscope.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainscope.server.ServerFixture;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticFilesTest {
  @TempDir Path data;
  ServerFixture fx;

  @AfterEach
  void stop() {
    if (fx != null) fx.close();
  }

  @Test
  void safePathsMapToTheWebRootOrWebJars() {
    assertThat(StaticFiles.resourceName("/")).contains("trainscope/web/index.html");
    assertThat(StaticFiles.resourceName("/app.js")).contains("trainscope/web/app.js");
    assertThat(StaticFiles.resourceName("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js"))
        .contains("META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.iife.min.js");
  }

  @Test
  void traversalAttemptsAreRefused() {
    for (String p :
        new String[] {
          "/../pom.xml", "/%2e%2e/pom.xml", "/%2E%2E%2Fpom.xml", "/a/..%2fb.js", "/..%5cwin.ini",
          "//etc/passwd.txt", "/C:/x.txt", "/.hidden.js", "/a/./b.js", "/x.js%00.html",
          "/dev/trainscope/server/cli/Main.class", "/logback.xml", "relative.js", "/%252e%252e/x.js"
        }) {
      assertThat(StaticFiles.resourceName(p)).as(p).isEqualTo(Optional.empty());
    }
  }

  @Test
  void traversalOverHttpIs404AndTheDashboardIsHtml() throws Exception {
    fx = ServerFixture.start(data);
    assertThat(fx.get("/%2e%2e/%2e%2e/etc/passwd").status()).isEqualTo(404);
    assertThat(fx.get("/logback.xml").status()).isEqualTo(404);
    assertThat(fx.get("/dev/trainscope/server/cli/Main.class").status()).isEqualTo(404);
    var index = fx.get("/");
    assertThat(index.status()).isEqualTo(200);
    assertThat(index.headers().get("Content-Type")).startsWith("text/html");
    assertThat(index.body()).containsIgnoringCase("trainscope");
  }

  @Test
  void aMissingFileIs404WithAJsonErrorNamingIt() throws Exception {
    fx = ServerFixture.start(data);
    for (String path : new String[] {"/favicon.ico", "/js/nosuch.js", "/css/none.css"}) {
      var r = fx.get(path);
      assertThat(r.status()).as(path).isEqualTo(404);
      assertThat(r.headers().get("Content-Type")).as(path).startsWith("application/json");
      assertThat(r.json().get("error").asText()).as(path).contains(path);
    }
    assertThat(fx.get("/js/app.js").status()).isEqualTo(200);
  }
}
