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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Compare view in real headless Chromium against a real server on a free port: a sweep started
 * from the dashboard, its rows and varied columns, the overlaid curves of a selection and their
 * legend, smoothing that changes the drawn values but not the raw ones, log axes, a brushed
 * parallel axis that filters the table and the curves, and a reload (or a fresh tab) that restores
 * the view from the URL.
 */
class CompareBrowserTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(30);

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
    wait = new WebDriverWait(driver, WAIT, Duration.ofMillis(50));
    wait.ignoring(StaleElementReferenceException.class);
  }

  @AfterEach
  void stop() {
    if (driver != null) driver.quit();
    if (server != null) server.close();
  }

  @Test
  void aSweepStartedFromTheDashboardIsComparedAndTheUrlReproducesTheView() throws Exception {
    driver.get(server.url() + "?view=compare");
    waitFor("the compare view", d -> byId("compare-view").isDisplayed());
    // The sweep's base is the New run form.
    setField("field-epochs", "12");
    setField("field-epochDelayMs", "0");
    setField("field-traceEvery", "6");
    List<WebElement> values = all("sweep-values");
    new Select(all("sweep-field").get(0)).selectByValue("optimizer.learningRate");
    values.get(0).sendKeys("0.01, 0.1, 0.3");
    byId("sweep-add-field").click();
    assertThat(new Select(all("sweep-field").get(1)).getFirstSelectedOption().getAttribute("value"))
        .isEqualTo("batchSize");
    all("sweep-values").get(1).sendKeys("8, 16");
    byId("start-sweep").click();

    // Six rows, all selected, their varied columns highlighted.
    waitFor("6 rows", d -> rows().size() == 6);
    JsonNode sweep = get("/api/sweeps").get(0);
    assertThat(sweep.path("size").asInt()).isEqualTo(6);
    for (JsonNode id : sweep.path("runs")) waitForServerState(id.asText(), "completed");
    waitFor("6 rows selected", d -> selectedRows().size() == 6);
    assertThat(variedHeaders()).containsExactly("param:optimizer.learningRate", "param:batchSize");
    assertThat(byId("compare-row").findElements(By.cssSelector("td.varied"))).hasSize(2);

    // Select the three runs of batch 16: three series named by their learning rates.
    byId("compare-clear").click();
    waitFor("nothing selected", d -> selectedRows().isEmpty());
    Map<String, String> names = runNames();
    List<String> batch16 =
        names.entrySet().stream()
            .filter(e -> e.getValue().endsWith("batch=16"))
            .map(Map.Entry::getKey)
            .sorted()
            .toList();
    assertThat(batch16).hasSize(3);
    for (String id : batch16) checkbox(id).click();
    waitFor("3 series", d -> "3".equals(byId("compare-loss-chart").getAttribute("data-series")));
    waitFor(
        "3 legend items naming their learning rates",
        d ->
            Set.copyOf(legend("loss")).equals(Set.of("lr=0.01", "lr=0.1", "lr=0.3"))
                && legend("accuracy").size() == 3);
    assertThat(variedHeaders()).containsExactly("param:optimizer.learningRate");
    waitFor(
        "12 points drawn",
        d -> "12".equals(byId("compare-loss-chart").getAttribute("data-points")));
    assertThat(measures("trainscope:compare-draw")).isPositive();

    // Smoothing changes the drawn values; the raw series stays as it was.
    String run = batch16.get(0);
    Map<String, Object> before = seriesValues("loss", run);
    assertThat(before.get("smoothed")).isEqualTo(before.get("raw"));
    byId("smoothing").sendKeys(Keys.END);
    waitFor("smoothing 0.99", d -> "0.99".equals(byId("smoothing-value").getText()));
    Map<String, Object> after = seriesValues("loss", run);
    assertThat(after.get("raw")).isEqualTo(before.get("raw"));
    List<?> raw = (List<?>) after.get("raw");
    List<?> smoothed = (List<?>) after.get("smoothed");
    assertThat(smoothed).isNotEqualTo(raw);
    // Debiased: the first smoothed value is the first value.
    assertThat(smoothed.get(0)).isEqualTo(raw.get(0));
    assertThat(measures("trainscope:smooth")).isPositive();

    // Log and linear, per chart.
    assertThat(byId("compare-loss-chart").getAttribute("data-log")).isEqualTo("true");
    byId("ylog-loss").click();
    waitFor(
        "linear loss", d -> "false".equals(byId("compare-loss-chart").getAttribute("data-log")));
    byId("ylog-accuracy").click();
    waitFor(
        "log accuracy",
        d -> "true".equals(byId("compare-accuracy-chart").getAttribute("data-log")));
    new Select(byId("x-axis")).selectByValue("time");
    waitFor("wall time", d -> "time".equals(byId("compare-loss-chart").getAttribute("data-axis")));

    // Sorting by the learning rate, descending on a second click.
    WebElement lr = header("param:optimizer.learningRate");
    lr.findElement(By.tagName("button")).click();
    waitFor("sorted ascending", d -> "ascending".equals(lr.getAttribute("aria-sort")));
    header("param:optimizer.learningRate").findElement(By.tagName("button")).click();
    waitFor(
        "sorted descending",
        d -> "descending".equals(header("param:optimizer.learningRate").getAttribute("aria-sort")));
    waitFor(
        "rows by learning rate, highest first",
        d ->
            names.get(rows().get(0)).startsWith("lr=0.3")
                && names.get(rows().get(5)).startsWith("lr=0.01"));
    screenshot("compare.png");

    // A reload gives the same view from the URL.
    String url = driver.getCurrentUrl();
    assertThat(url).contains("view=compare").contains("smooth=0.99").contains("x=time");
    driver.navigate().refresh();
    waitFor(
        "the same 3 runs selected", d -> Set.copyOf(selectedRows()).equals(Set.copyOf(batch16)));
    waitFor("3 series again", d -> legend("loss").size() == 3);
    assertThat(Set.copyOf(legend("loss"))).isEqualTo(Set.of("lr=0.01", "lr=0.1", "lr=0.3"));
    assertThat(byId("smoothing-value").getText()).isEqualTo("0.99");
    assertThat(byId("ylog-loss").isSelected()).isFalse();
    assertThat(byId("ylog-accuracy").isSelected()).isTrue();
    assertThat(new Select(byId("x-axis")).getFirstSelectedOption().getAttribute("value"))
        .isEqualTo("time");
    assertThat(
            new Select(byId("compare-sweep-filter")).getFirstSelectedOption().getAttribute("value"))
        .isEqualTo(sweep.path("id").asText());
    assertThat(header("param:optimizer.learningRate").getAttribute("aria-sort"))
        .isEqualTo("descending");
    assertThat(driver.getCurrentUrl()).isEqualTo(url);

    // Brushing the top of the (log) learning rate axis keeps the runs of lr 0.3: the table shows
    // both batch sizes of it, the curves the one selected; a reload brushes the same.
    WebElement lrAxis =
        driver.findElement(
            By.cssSelector(
                "[data-testid='parcoords-axis'][data-key='param:optimizer.learningRate']"));
    int half = lrAxis.getSize().getHeight() / 2;
    new Actions(driver)
        .moveToElement(lrAxis, 0, -half + 2)
        .clickAndHold()
        .moveByOffset(0, 40)
        .release()
        .perform();
    waitFor("2 rows of lr 0.3", d -> rows().size() == 2);
    assertThat(rows()).allMatch(id -> names.get(id).startsWith("lr=0.3 "));
    waitFor("1 series", d -> legend("loss").equals(List.of("lr=0.3")));
    waitFor("the brush in the URL", d -> driver.getCurrentUrl().contains("brush="));
    driver.navigate().refresh();
    waitFor("2 rows of lr 0.3 after the reload", d -> rows().size() == 2);
    assertThat(rows()).allMatch(id -> names.get(id).startsWith("lr=0.3 "));
    waitFor("1 series after the reload", d -> legend("loss").equals(List.of("lr=0.3")));
    assertThat(Browser.consoleErrors(driver)).isEmpty();
  }

  @Test
  void aFreshTabOpensTheComparisonFromTheUrlAndFollowsALiveRun() throws Exception {
    // Two live runs that differ in their learning rate only.
    String config =
        "{\"epochs\":600,\"epochDelayMs\":30,\"traceEvery\":50,"
            + "\"optimizer\":{\"learningRate\":%s}}";
    String other = createRun(config.formatted("0.05"));
    String live = createRun(config.formatted("0.2"));
    driver.get(server.url() + "?view=compare&runs=" + other + "," + live);
    waitFor(
        "2 series named by their learning rates",
        d -> Set.copyOf(legend("loss")).equals(Set.of("lr=0.05", "lr=0.2")));
    assertThat(Set.copyOf(selectedRows())).isEqualTo(Set.of(other, live));
    int first = points("compare-loss-chart");
    // The live run's new epochs arrive without a stream of its own.
    waitFor("the live run's curve to grow", d -> points("compare-loss-chart") >= first + 10);
    // Between reads of the new epochs (NDJSON, counted while open) the one stream open is the
    // page's /api/events: a stream per selected run would keep more open.
    assertThat(get("/api/runs/" + live).path("state").asText()).isEqualTo("running");
    waitFor("only the page's own event stream open", d -> openStreams() == 1);
    assertThat(byId("run-view").isDisplayed()).isFalse();

    // Back to the Run view and again to Compare: the view switch keeps the selection.
    byId("view-run").click();
    waitFor(
        "the run view", d -> byId("run-view").isDisplayed() && !byId("compare-view").isDisplayed());
    assertThat(driver.getCurrentUrl()).doesNotContain("view=compare");
    byId("view-compare").click();
    waitFor("the compare view again", d -> legend("loss").size() == 2);
    post("/api/runs/" + live + "/stop", null);
    post("/api/runs/" + other + "/stop", null);
    assertThat(Browser.consoleErrors(driver)).isEmpty();
  }

  @Test
  void aSweepErrorOfTheServerShowsNextToTheFieldItNames() {
    driver.get(server.url() + "?view=compare");
    all("sweep-values").get(0).sendKeys("0.1, -1");
    byId("start-sweep").click();
    WebElement rowError =
        byId("sweep-row").findElement(By.cssSelector("[data-testid='sweep-error']"));
    waitFor("the learning rate error", d -> rowError.getText().contains("learningRate"));
    assertThat(rowError.getText()).contains("grid.optimizer.learningRate[1]");
    assertThat(
            byId("sweep-row")
                .findElement(By.cssSelector("[data-testid='sweep-values']"))
                .getAttribute("aria-invalid"))
        .isEqualTo("true");
    assertThat(get("/api/sweeps").size()).isZero();
  }

  // ---------- helpers ----------

  private <T> T waitFor(String what, Function<WebDriver, T> condition) {
    try {
      return wait.until(condition);
    } catch (org.openqa.selenium.TimeoutException e) {
      String page;
      try {
        page =
            "rows="
                + rows()
                + " selected="
                + selectedRows()
                + " legend="
                + legend("loss")
                + " url="
                + driver.getCurrentUrl()
                + " console="
                + Browser.console(driver);
      } catch (RuntimeException inner) {
        page = inner.toString();
      }
      throw new AssertionError("timed out waiting for " + what + "; page: " + page, e);
    }
  }

  private Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  private WebElement byId(String testId) {
    return driver.findElement(By.cssSelector("[data-testid='" + testId + "']"));
  }

  private List<WebElement> all(String testId) {
    return driver.findElements(By.cssSelector("[data-testid='" + testId + "']"));
  }

  private WebElement header(String column) {
    return driver.findElement(
        By.cssSelector("[data-testid='compare-table'] th[data-column='" + column + "']"));
  }

  private WebElement checkbox(String runId) {
    return driver.findElement(
        By.cssSelector("[data-testid='compare-select'][data-run-id='" + runId + "']"));
  }

  private void setField(String testId, String value) {
    WebElement e = byId(testId);
    e.clear();
    e.sendKeys(value);
  }

  /** The ids of the table's rows, top to bottom, read in one script. */
  @SuppressWarnings("unchecked")
  private List<String> rows() {
    return (List<String>)
        script(
            "return [...document.querySelectorAll(\"[data-testid='compare-row']\")]"
                + ".map(r => r.dataset.runId);");
  }

  @SuppressWarnings("unchecked")
  private List<String> selectedRows() {
    return (List<String>)
        script(
            "return [...document.querySelectorAll(\"[data-testid='compare-select']:checked\")]"
                + ".map(b => b.dataset.runId);");
  }

  @SuppressWarnings("unchecked")
  private List<String> variedHeaders() {
    return (List<String>)
        script(
            "return [...document.querySelectorAll(\"[data-testid='compare-table'] th.varied\")]"
                + ".map(h => h.dataset.column);");
  }

  @SuppressWarnings("unchecked")
  private List<String> legend(String chart) {
    return (List<String>)
        script(
            "return [...document.querySelectorAll(\"[data-testid='compare-legend-"
                + chart
                + "'] .legend-label\")].map(l => l.textContent);");
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> seriesValues(String chart, String runId) {
    return (Map<String, Object>)
        script(
            "return window.trainscopeCompare.seriesValues(arguments[0], arguments[1]);",
            chart,
            runId);
  }

  private long measures(String name) {
    return ((Number) script("return performance.getEntriesByName(arguments[0]).length;", name))
        .longValue();
  }

  /** The server's count of open event streams (trainscope_streams_open on /metrics). */
  private int openStreams() {
    HttpResponse<String> res;
    try {
      res =
          http.send(
              HttpRequest.newBuilder(URI.create(base() + "/metrics"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
    return res.body()
        .lines()
        .filter(l -> l.startsWith("trainscope_streams_open"))
        .map(l -> (int) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no trainscope_streams_open in " + res.body()));
  }

  private int points(String chart) {
    String p = byId(chart).getAttribute("data-points");
    return p == null || p.isEmpty() ? 0 : Integer.parseInt(p);
  }

  private Map<String, String> runNames() {
    return stream(get("/api/runs"))
        .collect(Collectors.toMap(r -> r.path("id").asText(), r -> r.path("name").asText()));
  }

  private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
    return java.util.stream.StreamSupport.stream(array.spliterator(), false);
  }

  private void screenshot(String name) throws IOException {
    Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
    Path target = Path.of("target");
    Files.createDirectories(target);
    Files.copy(shot, target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }

  private String createRun(String config) throws Exception {
    return post("/api/runs", config).path("id").asText();
  }

  private void waitForServerState(String id, String state) {
    waitFor(
        "server state " + state + " of " + id,
        d -> state.equals(get("/api/runs/" + id).path("state").asText()));
  }

  private JsonNode post(String path, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base() + path))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json");
    b.POST(
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> res = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).as(res.body()).isBetween(200, 299);
    return JSON.readTree(res.body());
  }

  private JsonNode get(String path) {
    try {
      HttpResponse<String> res =
          http.send(
              HttpRequest.newBuilder(URI.create(base() + path))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(res.body());
    } catch (java.net.http.HttpTimeoutException e) {
      throw new AssertionError("GET " + path + " went unanswered for 5 s", e);
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private String base() {
    String u = server.url();
    return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
  }
}
