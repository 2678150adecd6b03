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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A run PyTorch trains ({@code examples/pytorch_iris.py} with the Python client) in real headless
 * Chromium: its data-flow cards show the probe's values as the trainer pushed them, and the
 * dashboard's Pause and Stop reach the trainer. Skipped without Chromium, python3 or torch (failed
 * under {@code CI=true}, where {@code .ci/run} installs them).
 */
class PyTorchRunBrowserTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Path PYTHON = Path.of("/usr/bin/python3");

  @TempDir Path temp;
  private TrainscopeServer server;
  private ChromeDriver driver;
  private WebDriverWait wait;
  private Process trainer;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  @BeforeEach
  void start() throws Exception {
    Browser.requireChromium();
    boolean torch =
        Files.isExecutable(PYTHON)
            && new ProcessBuilder(PYTHON.toString(), "-c", "import torch")
                    .redirectErrorStream(true)
                    .start()
                    .waitFor()
                == 0;
    if (!torch) {
      String message = "needs /usr/bin/python3 with torch (apt-get install -y python3-torch)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) throw new AssertionError(message);
      Assumptions.abort(message);
    }
    server =
        TrainscopeServer.start(
            ServerConfig.builder().host("127.0.0.1").port(0).dataDir(temp.resolve("data")).build());
    driver = Browser.start(temp.resolve("profile"), 1400, 1800);
    wait = new WebDriverWait(driver, WAIT, Duration.ofMillis(50));
    wait.ignoring(StaleElementReferenceException.class);
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (trainer != null && trainer.isAlive())
      trainer.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    if (driver != null) driver.quit();
    if (server != null) server.close();
  }

  @Test
  void aPushedPyTorchRunShowsTheProbesTraceAndStopsWhenStopIsPressed() throws Exception {
    Path log = temp.resolve("trainer.log");
    ProcessBuilder pb =
        new ProcessBuilder(
                PYTHON.toString(),
                "examples/pytorch_iris.py",
                "--epochs",
                "1000000",
                "--every",
                "1")
            .directory(Path.of("..").toAbsolutePath().normalize().toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("TRAINSCOPE_URL", base());
    pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    trainer = pb.start();
    JsonNode first =
        wait.withMessage(() -> "the trainer's first line; it wrote: " + read(log))
            .until(d -> firstLine(log));
    String id = first.get("run").asText();

    driver.get(server.url() + "#run=" + id);
    wait.withMessage("four pipeline stages with values")
        .until(
            d -> stages().size() == 4 && !stages().get(3).findElements(value("output")).isEmpty());

    // Paused, the trainer stores its current epoch's events, says so and waits: then the page
    // and the log agree.
    byId("btn-pause").click();
    wait.withMessage("run state paused").until(d -> "paused".equals(runState()));
    wait.withMessage(() -> "the trainer to pause; it wrote: " + read(log))
        .until(d -> read(log).contains("paused after epoch"));
    JsonNode act =
        wait.withMessage("the page to show the last logged trace")
            .until(
                d -> {
                  List<JsonNode> all = events(id);
                  JsonNode last = null;
                  for (JsonNode e : all)
                    if (e.path("type").asText().equals("activations")) last = e;
                  long lastSeq = all.get(all.size() - 1).path("seq").asLong();
                  return last != null
                          && last.path("epoch")
                              .asText()
                              .equals(byId("pipeline").getAttribute("data-epoch"))
                          && String.valueOf(lastSeq)
                              .equals(byId("run-view").getAttribute("data-last-seq"))
                      ? last
                      : null;
                });
    assertThat(act.path("input")).isEqualTo(first.get("probe"));
    List<WebElement> stages = stages();
    assertValues(stages.get(0).findElements(value("input")), act.path("input"));
    for (int i = 0; i < 3; i++) {
      JsonNode layer = act.path("layers").get(i);
      assertValues(stages.get(i + 1).findElements(value("linear")), layer.path("linear"));
      assertValues(stages.get(i + 1).findElements(value("output")), layer.path("output"));
    }

    // The trainer takes pause, resume and stop; a step is for engine runs.
    assertThat(byId("btn-resume").isEnabled()).isTrue();
    assertThat(byId("btn-step").isEnabled()).isFalse();
    byId("btn-stop").click();
    assertThat(trainer.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as(read(log)).isTrue();
    assertThat(trainer.exitValue()).as(read(log)).isZero();
    assertThat(read(log)).contains("stopped at epoch");
    wait.withMessage("run state stopped").until(d -> "stopped".equals(runState()));
    assertThat(Browser.consoleErrors(driver)).isEmpty();
  }

  private static JsonNode firstLine(Path log) {
    String text = read(log);
    int nl = text.indexOf('\n');
    if (nl < 0 || !text.startsWith("{")) return null;
    try {
      return JSON.readTree(text.substring(0, nl));
    } catch (IOException e) {
      return null;
    }
  }

  private static String read(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "[unreadable: " + e + "]";
    }
  }

  private WebElement byId(String testId) {
    return driver.findElement(By.cssSelector("[data-testid='" + testId + "']"));
  }

  private String runState() {
    return byId("run-state").getAttribute("data-state");
  }

  private List<WebElement> stages() {
    return driver.findElements(By.cssSelector("[data-testid='pipeline'] [data-testid='stage']"));
  }

  private static By value(String kind) {
    return By.cssSelector("[data-testid='value'][data-kind='" + kind + "']");
  }

  private static void assertValues(List<WebElement> shown, JsonNode expected) {
    assertThat(shown).hasSize(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      double v = expected.get(i).asDouble();
      assertThat(Double.parseDouble(shown.get(i).getAttribute("data-value"))).isEqualTo(v);
      assertThat(Double.parseDouble(shown.get(i).getText())).isCloseTo(v, within(0.00051));
    }
  }

  private List<JsonNode> events(String id) {
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

  private String base() {
    String u = server.url();
    return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
  }
}
