package dev.trainscope.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainscope.server.ServerConfig;
import dev.trainscope.server.TrainscopeServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The layer-statistics heatmaps of a run watched live (a column per traced epoch, drawn in place),
 * and the parallel-coordinates module brushed with a real pointer drag, in headless Chromium.
 */
class HeatmapsAndParallelAxesBrowserTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;
  private TrainscopeServer server;
  private ChromeDriver driver;
  private WebDriverWait wait;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  @BeforeEach
  void start() throws IOException {
    Browser.requireChromium();
    server =
        TrainscopeServer.start(
            ServerConfig.builder().host("127.0.0.1").port(0).dataDir(temp.resolve("data")).build());
    driver = Browser.start(temp.resolve("profile"), 1400, 1800);
    wait = new WebDriverWait(driver, Duration.ofSeconds(30), Duration.ofMillis(50));
  }

  @AfterEach
  void stop() {
    if (driver != null) driver.quit();
    if (server != null) server.close();
  }

  @Test
  void heatmapsGainAColumnPerLayerStatsEpochInPlace() throws Exception {
    // 24 epochs traced every 4: epochs 1, 4, 8, ..., 24 carry layer-stats.
    String id =
        post("/api/runs", "{\"epochs\":24,\"traceEvery\":4,\"epochDelayMs\":150}")
            .path("id")
            .asText();
    driver.get(server.url() + "#run=" + id);
    WebElement first =
        wait.ignoring(StaleElementReferenceException.class)
            .until(
                d -> {
                  List<WebElement> maps = heatmaps();
                  return !maps.isEmpty() && epochsOf(maps.get(0)) >= 1 ? maps.get(0) : null;
                });
    wait.until(
        d -> "finished".equals(byTestId("connection").getAttribute("data-state")) ? true : null);
    long traced =
        events(id).stream().filter(e -> e.path("type").asText().equals("layer-stats")).count();
    assertThat(traced).isEqualTo(7);
    // Three layers times weights, gradients and activations, each with every traced epoch.
    wait.until(d -> heatmaps().stream().allMatch(h -> epochsOf(h) == traced) ? true : null);
    List<WebElement> maps = heatmaps();
    assertThat(maps).hasSize(9);
    assertThat(
            maps.stream()
                .map(h -> h.getAttribute("data-layer") + ":" + h.getAttribute("data-kind")))
        .containsExactly(
            "0:weights",
            "0:gradients",
            "0:activations",
            "1:weights",
            "1:gradients",
            "1:activations",
            "2:weights",
            "2:gradients",
            "2:activations");
    // The canvas seen after the first column is the one holding all of them: appended, not rebuilt.
    assertThat(epochsOf(first)).isEqualTo(traced);

    // Hovering the last column names its epoch and a count.
    WebElement weights = maps.get(0);
    ((JavascriptExecutor) driver)
        .executeScript("arguments[0].scrollIntoView({block: 'center'});", weights);
    new Actions(driver).moveToElement(weights, weights.getRect().getWidth() / 2 - 2, 0).perform();
    WebElement tip = byTestId("stats-heatmap-tip");
    wait.until(d -> tip.isDisplayed() ? true : null);
    assertThat(tip.getText()).startsWith("epoch 24 \u00b7 ");
    assertThat(Browser.consoleErrors(driver)).isEmpty();
  }

  @Test
  void draggingAParallelAxisBrushesItsRangeAndAClickOutsideClearsIt() {
    driver.get(server.url());
    Object setUp =
        ((JavascriptExecutor) driver)
            .executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                    + "import('./js/parcoords.js').then((m) => {"
                    + "  const c = document.createElement('div');"
                    + "  c.setAttribute('data-testid', 'parcoords'); c.style.width = '600px';"
                    + "  document.body.prepend(c);"
                    + "  window.__pc = m.createParallel(c, { onBrush: (p, b) => { window.__brushes = b; } });"
                    + "  const lrs = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3];"
                    + "  const rows = lrs.map((lr, i) => ({ lr, opt: i % 2 ? 'adam' : 'sgd', acc: i / 5 }));"
                    + "  window.__pc.render(rows, ["
                    + "    { key: 'lr', label: 'learning rate', type: 'log', value: (r) => r.lr },"
                    + "    { key: 'opt', label: 'optimizer', type: 'category', value: (r) => r.opt },"
                    + "    { key: 'acc', label: 'accuracy', type: 'number', value: (r) => r.acc }]);"
                    + "  done('ok');"
                    + "}).catch((e) => done(String(e)));");
    assertThat(setUp).isEqualTo("ok");
    WebElement chart = byTestId("parcoords");
    assertThat(chart.getAttribute("data-brushed")).isEqualTo("6");
    WebElement lr =
        driver.findElement(By.cssSelector("[data-testid='parcoords-axis'][data-key='lr']"));
    int h = lr.getRect().getHeight();
    assertThat(lr.getRect().getWidth()).isGreaterThanOrEqualTo(20);

    // From above the axis's top (0.3) down to about 0.014: the three largest learning rates.
    new Actions(driver)
        .moveToElement(lr, 0, 2 - h / 2)
        .clickAndHold()
        .moveByOffset(0, 60)
        .moveByOffset(0, 60)
        .release()
        .perform();
    wait.until(d -> "3".equals(chart.getAttribute("data-brushed")) ? true : null);
    @SuppressWarnings("unchecked")
    Map<String, List<Number>> brushes =
        (Map<String, List<Number>>)
            ((JavascriptExecutor) driver).executeScript("return window.__brushes;");
    assertThat(brushes).containsOnlyKeys("lr");
    assertThat(brushes.get("lr").get(1).doubleValue()).isEqualTo(0.3);
    assertThat(brushes.get("lr").get(0).doubleValue()).isBetween(0.01, 0.03);

    // A click near the bottom of the axis, outside the brush, clears it.
    new Actions(driver).moveToElement(lr, 0, h / 2 - 10).click().perform();
    wait.until(d -> "6".equals(chart.getAttribute("data-brushed")) ? true : null);
    assertThat(
            ((JavascriptExecutor) driver)
                .executeScript("return JSON.stringify(window.__pc.brushes());"))
        .isEqualTo("{}");

    // Brushes restored from a URL combine with AND across axes.
    ((JavascriptExecutor) driver)
        .executeScript("window.__pc.setBrushes({ opt: ['adam'], acc: [0.5, 1] });");
    assertThat(chart.getAttribute("data-brushed")).isEqualTo("2");
    assertThat(Browser.consoleErrors(driver)).isEmpty();
  }

  private List<WebElement> heatmaps() {
    return driver.findElements(By.cssSelector("[data-testid='stats-heatmap']"));
  }

  private static int epochsOf(WebElement heatmap) {
    String e = heatmap.getAttribute("data-epochs");
    return e == null || e.isEmpty() ? 0 : Integer.parseInt(e);
  }

  private WebElement byTestId(String testId) {
    return driver.findElement(By.cssSelector("[data-testid='" + testId + "']"));
  }

  private JsonNode post(String path, String body) throws Exception {
    HttpResponse<String> res =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + path))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).as(res.body()).isBetween(200, 299);
    return JSON.readTree(res.body());
  }

  private List<JsonNode> events(String id) throws Exception {
    HttpResponse<String> res =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + "/api/runs/" + id + "/events.ndjson"))
                .timeout(Duration.ofSeconds(20))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    List<JsonNode> out = new java.util.ArrayList<>();
    for (String line : res.body().split("\n")) if (!line.isBlank()) out.add(JSON.readTree(line));
    return out;
  }

  private String base() {
    String u = server.url();
    return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
  }
}
