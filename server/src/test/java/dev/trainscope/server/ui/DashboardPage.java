package dev.trainscope.server.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainscope.server.ServerConfig;
import dev.trainscope.server.TrainscopeServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard under test, fresh for every test: a real server on a free port of 127.0.0.1 with
 * its own data directory, headless Chromium (1400 x 1800, see {@link Browser}) on it, a wait whose
 * timeout says what the page showed, and an HTTP/1.1 client for the API. Register it with
 * {@code @RegisterExtension}; it is torn down after the test class's own {@code @AfterEach}.
 */
final class DashboardPage implements BeforeEachCallback, AfterEachCallback {
  static final ObjectMapper JSON = new ObjectMapper();

  private final Duration timeout;
  private final Supplier<String> describe;
  // HTTP/1.1 and a timeout on every request: a server that stops answering fails the test, never
  // hangs it.
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private Path dir;
  private TrainscopeServer server;
  private ChromeDriver driver;
  private WebDriverWait wait;

  DashboardPage(Duration timeout) {
    this(timeout, null);
  }

  /**
   * @param describe what a timed-out {@link #waitFor} reports of the page before its console; the
   *     current URL when null
   */
  DashboardPage(Duration timeout, Supplier<String> describe) {
    this.timeout = timeout;
    this.describe = describe != null ? describe : () -> "url=" + driver.getCurrentUrl();
  }

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    Browser.requireChromium();
    dir = Files.createTempDirectory("trainscope-browser-");
    server =
        TrainscopeServer.start(
            ServerConfig.builder().host("127.0.0.1").port(0).dataDir(dir.resolve("data")).build());
    driver = Browser.start(dir.resolve("profile"), 1400, 1800);
    wait = new WebDriverWait(driver, timeout, Duration.ofMillis(50));
    wait.ignoring(StaleElementReferenceException.class);
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    try {
      if (driver != null) driver.quit();
    } finally {
      if (server != null) server.close();
      if (dir != null) deleteTree(dir);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }

  /** This test's own directory, removed after it. */
  Path dir() {
    return dir;
  }

  ChromeDriver driver() {
    return driver;
  }

  HttpClient http() {
    return http;
  }

  /** Closes the server and puts this one in its place. */
  void replaceServer(ServerConfig config) throws IOException {
    server.close();
    server = TrainscopeServer.start(config);
  }

  /** The server's root URL, with its slash. */
  String url() {
    return server.url();
  }

  /** The server's root URL without the trailing slash, to append API paths to. */
  String base() {
    String u = server.url();
    return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
  }

  /** Loads the dashboard, {@code suffix} (query, fragment) appended to its URL. */
  void open(String suffix) {
    driver.get(server.url() + suffix);
  }

  void open() {
    open("");
  }

  // ---------- the page ----------

  /** Waits like {@code wait.until}, but a timeout says what the page showed. */
  <T> T waitFor(String what, Function<WebDriver, T> condition) {
    try {
      return wait.until(condition);
    } catch (TimeoutException e) {
      String page;
      try {
        page = describe.get() + " console=" + Browser.console(driver);
      } catch (RuntimeException inner) {
        page = inner.toString();
      }
      throw new AssertionError("timed out waiting for " + what + "; page: " + page, e);
    }
  }

  WebElement byId(String testId) {
    return driver.findElement(By.cssSelector("[data-testid='" + testId + "']"));
  }

  List<WebElement> all(String testId) {
    return driver.findElements(By.cssSelector("[data-testid='" + testId + "']"));
  }

  void setField(String testId, String value) {
    WebElement e = byId(testId);
    e.clear();
    e.sendKeys(value);
  }

  Object script(String js, Object... args) {
    return driver.executeScript(js, args);
  }

  /** Console errors (SEVERE) since the last call. */
  List<String> consoleErrors() {
    return Browser.consoleErrors(driver);
  }

  /** The selected run's id, null when none is. */
  String runId() {
    String id = byId("run-view").getAttribute("data-run-id");
    return id == null || id.isEmpty() ? null : id;
  }

  String runState() {
    return byId("run-state").getAttribute("data-state");
  }

  /** The points a chart has drawn, 0 before it says. */
  int points(String chart) {
    String p = byId(chart).getAttribute("data-points");
    return p == null || p.isEmpty() ? 0 : Integer.parseInt(p);
  }

  void waitForState(String state) {
    waitFor("run state " + state, d -> state.equals(runState()));
  }

  void waitForConnection(String state) {
    waitFor(
        "connection " + state, d -> state.equals(byId("connection").getAttribute("data-state")));
  }

  /** Waits for the form's data set menu to hold what {@code GET /api/datasets} listed. */
  void waitForDatasetMenu() {
    waitFor(
        "the data set menu loaded",
        d -> "true".equals(byId("field-dataset").getAttribute("data-loaded")));
  }

  /** Waits for the input and three layers of the data flow, the last with its outputs. */
  void waitForPipelineValues() {
    // One script reads the stages at one instant: the page rebuilds them at every trace, so
    // element handles found one call apart can be stale (under load, at every poll).
    waitFor(
        "four pipeline stages with values",
        d ->
            Boolean.TRUE.equals(
                script(
                    "const s = document.querySelectorAll("
                        + "\"[data-testid='pipeline'] [data-testid='stage']\");"
                        + "return s.length === 4 && s[3].querySelector("
                        + "\"[data-testid='value'][data-kind='output']\") !== null;")));
  }

  /** The data-flow pipeline's stages: the input, then one per layer. */
  List<WebElement> stages() {
    return driver.findElements(By.cssSelector("[data-testid='pipeline'] [data-testid='stage']"));
  }

  static By value(String kind) {
    return By.cssSelector("[data-testid='value'][data-kind='" + kind + "']");
  }

  /** The shown values carry the exact number and print it to 3 decimals. */
  static void assertValues(List<WebElement> shown, JsonNode expected) {
    assertThat(shown).hasSize(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      double v = expected.get(i).asDouble();
      assertThat(Double.parseDouble(shown.get(i).getAttribute("data-value"))).isEqualTo(v);
      assertThat(Double.parseDouble(shown.get(i).getText())).isCloseTo(v, within(0.00051));
    }
  }

  /** Saves the page as {@code target/<name>}. */
  void screenshot(String name) throws IOException {
    Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
    Path target = Path.of("target");
    Files.createDirectories(target);
    Files.copy(shot, target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }

  // ---------- the API ----------

  String createRun(String config) throws IOException, InterruptedException {
    return post("/api/runs", config).path("id").asText();
  }

  void waitForServerState(String id, String state) {
    waitFor(
        "server state " + state + " of " + id,
        d -> state.equals(get("/api/runs/" + id).path("state").asText()));
  }

  /** POSTs JSON ({@code body} null: none) and asserts a 2xx answer. */
  JsonNode post(String path, String body) throws IOException, InterruptedException {
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

  /** GETs JSON for polling conditions; a request unanswered for 5 s fails the test. */
  JsonNode get(String path) {
    try {
      return JSON.readTree(getText(path));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** GETs a body as text; a request unanswered for 5 s fails the test. */
  String getText(String path) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create(base() + path))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (HttpTimeoutException e) {
      throw new AssertionError("GET " + path + " went unanswered for 5 s", e);
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every event the server logged for the run, in its order, as it stores them. */
  List<JsonNode> events(String id) {
    try {
      HttpResponse<String> res =
          http.send(
              HttpRequest.newBuilder(URI.create(base() + "/api/runs/" + id + "/events.ndjson"))
                  .timeout(Duration.ofSeconds(20))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      List<JsonNode> out = new ArrayList<>();
      for (String line : res.body().split("\n")) if (!line.isBlank()) out.add(JSON.readTree(line));
      return out;
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
