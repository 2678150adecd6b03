package dev.trainscope.server.ui;

import static dev.trainscope.server.ui.DashboardPage.assertValues;
import static dev.trainscope.server.ui.DashboardPage.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebElement;

/**
 * A run PyTorch trains ({@code examples/pytorch_iris.py} with the Python client) in real headless
 * Chromium: its data-flow cards show the probe's values as the trainer pushed them, and the
 * dashboard's Pause and Stop reach the trainer. Skipped without Chromium, python3 or torch (failed
 * under {@code CI=true}, where {@code .ci/run} installs them).
 */
class PyTorchRunBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Path PYTHON = Path.of("/usr/bin/python3");

  // Every timed-out wait shows what the trainer wrote.
  @RegisterExtension
  final DashboardPage page = new DashboardPage(WAIT, () -> "the trainer wrote: " + read(log()));

  private Process trainer;

  // Before the page starts: without torch there is nothing to start Chromium for.
  @BeforeAll
  static void requireTorch() throws Exception {
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
  }

  // Runs before the page's teardown: the trainer goes before the server it pushes to.
  @AfterEach
  void stopTrainer() throws InterruptedException {
    if (trainer != null && trainer.isAlive())
      trainer.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  @Test
  void aPushedPyTorchRunShowsTheProbesTraceAndStopsWhenStopIsPressed() throws Exception {
    Path log = log();
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
    pb.environment().put("TRAINSCOPE_URL", page.base());
    pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    trainer = pb.start();
    JsonNode first = page.waitFor("the trainer's first line", d -> firstLine(log));
    String id = first.get("run").asText();

    page.open("#run=" + id);
    page.waitForPipelineValues();

    // Paused, the trainer stores its current epoch's events, says so and waits: then the page
    // and the log agree.
    page.byId("btn-pause").click();
    page.waitForState("paused");
    page.waitFor("the trainer to pause", d -> read(log).contains("paused after epoch"));
    JsonNode act =
        page.waitFor(
            "the page to show the last logged trace",
            d -> {
              List<JsonNode> all = page.events(id);
              JsonNode last = null;
              for (JsonNode e : all) if (e.path("type").asText().equals("activations")) last = e;
              long lastSeq = all.get(all.size() - 1).path("seq").asLong();
              return last != null
                      && last.path("epoch")
                          .asText()
                          .equals(page.byId("pipeline").getAttribute("data-epoch"))
                      && String.valueOf(lastSeq)
                          .equals(page.byId("run-view").getAttribute("data-last-seq"))
                  ? last
                  : null;
            });
    assertThat(act.path("input")).isEqualTo(first.get("probe"));
    List<WebElement> stages = page.stages();
    assertValues(stages.get(0).findElements(value("input")), act.path("input"));
    for (int i = 0; i < 3; i++) {
      JsonNode layer = act.path("layers").get(i);
      assertValues(stages.get(i + 1).findElements(value("linear")), layer.path("linear"));
      assertValues(stages.get(i + 1).findElements(value("output")), layer.path("output"));
    }

    // The trainer takes pause, resume and stop; a step is for engine runs.
    assertThat(page.byId("btn-resume").isEnabled()).isTrue();
    assertThat(page.byId("btn-step").isEnabled()).isFalse();
    page.byId("btn-stop").click();
    assertThat(trainer.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as(read(log)).isTrue();
    assertThat(trainer.exitValue()).as(read(log)).isZero();
    assertThat(read(log)).contains("stopped at epoch");
    page.waitForState("stopped");
    assertThat(page.consoleErrors()).isEmpty();
  }

  private Path log() {
    return page.dir().resolve("trainer.log");
  }

  private static JsonNode firstLine(Path log) {
    String text = read(log);
    int nl = text.indexOf('\n');
    if (nl < 0 || !text.startsWith("{")) return null;
    try {
      return DashboardPage.JSON.readTree(text.substring(0, nl));
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
}
