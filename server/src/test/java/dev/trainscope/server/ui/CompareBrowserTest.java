package dev.trainscope.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * The Compare view in real headless Chromium against a real server on a free port: a sweep started
 * from the dashboard, its rows and varied columns, the overlaid curves of a selection and their
 * legend, smoothing that changes the drawn values but not the raw ones, log axes, a brushed
 * parallel axis that filters the table and the curves, and a reload (or a fresh tab) that restores
 * the view from the URL.
 */
class CompareBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension final DashboardPage page = new DashboardPage(WAIT, this::describePage);

  @Test
  void aSweepStartedFromTheDashboardIsComparedAndTheUrlReproducesTheView() throws Exception {
    page.open("?view=compare");
    page.waitFor("the compare view", d -> page.byId("compare-view").isDisplayed());
    // The sweep's base is the New run form.
    page.setField("field-epochs", "12");
    page.setField("field-epochDelayMs", "0");
    page.setField("field-traceEvery", "6");
    List<WebElement> values = page.all("sweep-values");
    new Select(page.all("sweep-field").get(0)).selectByValue("optimizer.learningRate");
    values.get(0).sendKeys("0.01, 0.1, 0.3");
    page.byId("sweep-add-field").click();
    assertThat(
            new Select(page.all("sweep-field").get(1))
                .getFirstSelectedOption()
                .getAttribute("value"))
        .isEqualTo("batchSize");
    page.all("sweep-values").get(1).sendKeys("8, 16");
    page.byId("start-sweep").click();

    // Six rows, all selected, their varied columns highlighted.
    page.waitFor("6 rows", d -> rows().size() == 6);
    JsonNode sweep = page.get("/api/sweeps").get(0);
    assertThat(sweep.path("size").asInt()).isEqualTo(6);
    for (JsonNode id : sweep.path("runs")) page.waitForServerState(id.asText(), "completed");
    page.waitFor("6 rows selected", d -> selectedRows().size() == 6);
    assertThat(variedHeaders()).containsExactly("param:optimizer.learningRate", "param:batchSize");
    assertThat(page.byId("compare-row").findElements(By.cssSelector("td.varied"))).hasSize(2);

    // Select the three runs of batch 16: three series named by their learning rates.
    page.byId("compare-clear").click();
    page.waitFor("nothing selected", d -> selectedRows().isEmpty());
    Map<String, String> names = runNames();
    List<String> batch16 =
        names.entrySet().stream()
            .filter(e -> e.getValue().endsWith("batch=16"))
            .map(Map.Entry::getKey)
            .sorted()
            .toList();
    assertThat(batch16).hasSize(3);
    for (String id : batch16) checkbox(id).click();
    page.waitFor(
        "3 series", d -> "3".equals(page.byId("compare-loss-chart").getAttribute("data-series")));
    page.waitFor(
        "3 legend items naming their learning rates",
        d ->
            Set.copyOf(legend("loss")).equals(Set.of("lr=0.01", "lr=0.1", "lr=0.3"))
                && legend("accuracy").size() == 3);
    assertThat(variedHeaders()).containsExactly("param:optimizer.learningRate");
    page.waitFor(
        "12 points drawn",
        d -> "12".equals(page.byId("compare-loss-chart").getAttribute("data-points")));
    assertThat(measures("trainscope:compare-draw")).isPositive();

    // Smoothing changes the drawn values; the raw series stays as it was.
    String run = batch16.get(0);
    Map<String, Object> before = seriesValues("loss", run);
    assertThat(before.get("smoothed")).isEqualTo(before.get("raw"));
    page.byId("smoothing").sendKeys(Keys.END);
    page.waitFor("smoothing 0.99", d -> "0.99".equals(page.byId("smoothing-value").getText()));
    Map<String, Object> after = seriesValues("loss", run);
    assertThat(after.get("raw")).isEqualTo(before.get("raw"));
    List<?> raw = (List<?>) after.get("raw");
    List<?> smoothed = (List<?>) after.get("smoothed");
    assertThat(smoothed).isNotEqualTo(raw);
    // Debiased: the first smoothed value is the first value.
    assertThat(smoothed.get(0)).isEqualTo(raw.get(0));
    assertThat(measures("trainscope:smooth")).isPositive();

    // Log and linear, per chart.
    assertThat(page.byId("compare-loss-chart").getAttribute("data-log")).isEqualTo("true");
    page.byId("ylog-loss").click();
    page.waitFor(
        "linear loss",
        d -> "false".equals(page.byId("compare-loss-chart").getAttribute("data-log")));
    page.byId("ylog-accuracy").click();
    page.waitFor(
        "log accuracy",
        d -> "true".equals(page.byId("compare-accuracy-chart").getAttribute("data-log")));
    new Select(page.byId("x-axis")).selectByValue("time");
    page.waitFor(
        "wall time", d -> "time".equals(page.byId("compare-loss-chart").getAttribute("data-axis")));

    // Sorting by the learning rate, descending on a second click.
    WebElement lr = header("param:optimizer.learningRate");
    lr.findElement(By.tagName("button")).click();
    page.waitFor("sorted ascending", d -> "ascending".equals(lr.getAttribute("aria-sort")));
    header("param:optimizer.learningRate").findElement(By.tagName("button")).click();
    page.waitFor(
        "sorted descending",
        d -> "descending".equals(header("param:optimizer.learningRate").getAttribute("aria-sort")));
    page.waitFor(
        "rows by learning rate, highest first",
        d ->
            names.get(rows().get(0)).startsWith("lr=0.3")
                && names.get(rows().get(5)).startsWith("lr=0.01"));
    page.screenshot("compare.png");

    // A reload gives the same view from the URL.
    String url = page.driver().getCurrentUrl();
    assertThat(url).contains("view=compare").contains("smooth=0.99").contains("x=time");
    page.driver().navigate().refresh();
    page.waitFor(
        "the same 3 runs selected", d -> Set.copyOf(selectedRows()).equals(Set.copyOf(batch16)));
    page.waitFor("3 series again", d -> legend("loss").size() == 3);
    assertThat(Set.copyOf(legend("loss"))).isEqualTo(Set.of("lr=0.01", "lr=0.1", "lr=0.3"));
    assertThat(page.byId("smoothing-value").getText()).isEqualTo("0.99");
    assertThat(page.byId("ylog-loss").isSelected()).isFalse();
    assertThat(page.byId("ylog-accuracy").isSelected()).isTrue();
    assertThat(new Select(page.byId("x-axis")).getFirstSelectedOption().getAttribute("value"))
        .isEqualTo("time");
    assertThat(
            new Select(page.byId("compare-sweep-filter"))
                .getFirstSelectedOption()
                .getAttribute("value"))
        .isEqualTo(sweep.path("id").asText());
    assertThat(header("param:optimizer.learningRate").getAttribute("aria-sort"))
        .isEqualTo("descending");
    assertThat(page.driver().getCurrentUrl()).isEqualTo(url);

    // Brushing the top of the (log) learning rate axis keeps the runs of lr 0.3: the table shows
    // both batch sizes of it, the curves the one selected; a reload brushes the same.
    WebElement lrAxis =
        page.driver()
            .findElement(
                By.cssSelector(
                    "[data-testid='parcoords-axis'][data-key='param:optimizer.learningRate']"));
    int half = lrAxis.getSize().getHeight() / 2;
    new Actions(page.driver())
        .moveToElement(lrAxis, 0, -half + 2)
        .clickAndHold()
        .moveByOffset(0, 40)
        .release()
        .perform();
    page.waitFor("2 rows of lr 0.3", d -> rows().size() == 2);
    assertThat(rows()).allMatch(id -> names.get(id).startsWith("lr=0.3 "));
    page.waitFor("1 series", d -> legend("loss").equals(List.of("lr=0.3")));
    page.waitFor("the brush in the URL", d -> page.driver().getCurrentUrl().contains("brush="));
    page.driver().navigate().refresh();
    page.waitFor("2 rows of lr 0.3 after the reload", d -> rows().size() == 2);
    assertThat(rows()).allMatch(id -> names.get(id).startsWith("lr=0.3 "));
    page.waitFor("1 series after the reload", d -> legend("loss").equals(List.of("lr=0.3")));
    assertThat(page.consoleErrors()).isEmpty();
  }

  @Test
  void aFreshTabOpensTheComparisonFromTheUrlAndFollowsALiveRun() throws Exception {
    // Two live runs that differ in their learning rate only.
    String config =
        "{\"epochs\":600,\"epochDelayMs\":30,\"traceEvery\":50,"
            + "\"optimizer\":{\"learningRate\":%s}}";
    String other = page.createRun(config.formatted("0.05"));
    String live = page.createRun(config.formatted("0.2"));
    page.open("?view=compare&runs=" + other + "," + live);
    page.waitFor(
        "2 series named by their learning rates",
        d -> Set.copyOf(legend("loss")).equals(Set.of("lr=0.05", "lr=0.2")));
    assertThat(Set.copyOf(selectedRows())).isEqualTo(Set.of(other, live));
    int first = page.points("compare-loss-chart");
    // The live run's new epochs arrive without a stream of its own.
    page.waitFor(
        "the live run's curve to grow", d -> page.points("compare-loss-chart") >= first + 10);
    // Between reads of the new epochs (NDJSON, counted while open) the one stream open is the
    // page's /api/events: a stream per selected run would keep more open.
    assertThat(page.get("/api/runs/" + live).path("state").asText()).isEqualTo("running");
    page.waitFor("only the page's own event stream open", d -> openStreams() == 1);
    assertThat(page.byId("run-view").isDisplayed()).isFalse();

    // Back to the Run view and again to Compare: the view switch keeps the selection.
    page.byId("view-run").click();
    page.waitFor(
        "the run view",
        d -> page.byId("run-view").isDisplayed() && !page.byId("compare-view").isDisplayed());
    assertThat(page.driver().getCurrentUrl()).doesNotContain("view=compare");
    page.byId("view-compare").click();
    page.waitFor("the compare view again", d -> legend("loss").size() == 2);
    page.post("/api/runs/" + live + "/stop", null);
    page.post("/api/runs/" + other + "/stop", null);
    assertThat(page.consoleErrors()).isEmpty();
  }

  @Test
  void aSweepErrorOfTheServerShowsNextToTheFieldItNames() {
    page.open("?view=compare");
    page.all("sweep-values").get(0).sendKeys("0.1, -1");
    page.byId("start-sweep").click();
    WebElement rowError =
        page.byId("sweep-row").findElement(By.cssSelector("[data-testid='sweep-error']"));
    page.waitFor("the learning rate error", d -> rowError.getText().contains("learningRate"));
    assertThat(rowError.getText()).contains("grid.optimizer.learningRate[1]");
    assertThat(
            page.byId("sweep-row")
                .findElement(By.cssSelector("[data-testid='sweep-values']"))
                .getAttribute("aria-invalid"))
        .isEqualTo("true");
    assertThat(page.get("/api/sweeps").size()).isZero();
  }

  // ---------- helpers ----------

  /** What a timed-out wait reports: the table, the selection and the legend. */
  private String describePage() {
    return "rows="
        + rows()
        + " selected="
        + selectedRows()
        + " legend="
        + legend("loss")
        + " url="
        + page.driver().getCurrentUrl();
  }

  private WebElement header(String column) {
    return page.driver()
        .findElement(
            By.cssSelector("[data-testid='compare-table'] th[data-column='" + column + "']"));
  }

  private WebElement checkbox(String runId) {
    return page.driver()
        .findElement(By.cssSelector("[data-testid='compare-select'][data-run-id='" + runId + "']"));
  }

  /** The ids of the table's rows, top to bottom, read in one script. */
  @SuppressWarnings("unchecked")
  private List<String> rows() {
    return (List<String>)
        page.script(
            "return [...document.querySelectorAll(\"[data-testid='compare-row']\")]"
                + ".map(r => r.dataset.runId);");
  }

  @SuppressWarnings("unchecked")
  private List<String> selectedRows() {
    return (List<String>)
        page.script(
            "return [...document.querySelectorAll(\"[data-testid='compare-select']:checked\")]"
                + ".map(b => b.dataset.runId);");
  }

  @SuppressWarnings("unchecked")
  private List<String> variedHeaders() {
    return (List<String>)
        page.script(
            "return [...document.querySelectorAll(\"[data-testid='compare-table'] th.varied\")]"
                + ".map(h => h.dataset.column);");
  }

  @SuppressWarnings("unchecked")
  private List<String> legend(String chart) {
    return (List<String>)
        page.script(
            "return [...document.querySelectorAll(\"[data-testid='compare-legend-"
                + chart
                + "'] .legend-label\")].map(l => l.textContent);");
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> seriesValues(String chart, String runId) {
    return (Map<String, Object>)
        page.script(
            "return window.trainscopeCompare.seriesValues(arguments[0], arguments[1]);",
            chart,
            runId);
  }

  private long measures(String name) {
    return ((Number) page.script("return performance.getEntriesByName(arguments[0]).length;", name))
        .longValue();
  }

  /** The server's count of open event streams (trainscope_streams_open on /metrics). */
  private int openStreams() {
    String metrics = page.getText("/metrics");
    return metrics
        .lines()
        .filter(l -> l.startsWith("trainscope_streams_open"))
        .map(l -> (int) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no trainscope_streams_open in " + metrics));
  }

  private Map<String, String> runNames() {
    return stream(page.get("/api/runs"))
        .collect(Collectors.toMap(r -> r.path("id").asText(), r -> r.path("name").asText()));
  }

  private static Stream<JsonNode> stream(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false);
  }
}
