package dev.trainscope.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The layer-statistics heatmaps of a run watched live (a column per traced epoch, drawn in place),
 * and the parallel-coordinates module brushed with a real pointer drag, in headless Chromium.
 */
class HeatmapsAndParallelAxesBrowserTest {
  @RegisterExtension final DashboardPage page = new DashboardPage(Duration.ofSeconds(30));

  @Test
  void heatmapsGainAColumnPerLayerStatsEpochInPlace() throws Exception {
    // 24 epochs traced every 4: epochs 1, 4, 8, ..., 24 carry layer-stats.
    String id =
        page.post("/api/runs", "{\"epochs\":24,\"traceEvery\":4,\"epochDelayMs\":150}")
            .path("id")
            .asText();
    page.open("#run=" + id);
    WebElement first =
        page.waitFor(
            "the first heatmap column",
            d -> {
              List<WebElement> maps = heatmaps();
              return !maps.isEmpty() && epochsOf(maps.get(0)) >= 1 ? maps.get(0) : null;
            });
    page.waitForConnection("finished");
    long traced =
        page.events(id).stream().filter(e -> e.path("type").asText().equals("layer-stats")).count();
    assertThat(traced).isEqualTo(7);
    // Three layers times weights, gradients and activations, each with every traced epoch.
    page.waitFor(
        "every heatmap to have every traced epoch",
        d -> heatmaps().stream().allMatch(h -> epochsOf(h) == traced));
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
    page.script("arguments[0].scrollIntoView({block: 'center'});", weights);
    new Actions(page.driver())
        .moveToElement(weights, weights.getRect().getWidth() / 2 - 2, 0)
        .perform();
    WebElement tip = page.byId("stats-heatmap-tip");
    page.waitFor("the heatmap's tip", d -> tip.isDisplayed());
    assertThat(tip.getText()).startsWith("epoch 24 \u00b7 ");
    assertThat(page.consoleErrors()).isEmpty();
  }

  @Test
  void draggingAParallelAxisBrushesItsRangeAndAClickOutsideClearsIt() {
    page.open();
    Object setUp =
        page.driver()
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
    WebElement chart = page.byId("parcoords");
    assertThat(chart.getAttribute("data-brushed")).isEqualTo("6");
    WebElement lr =
        page.driver().findElement(By.cssSelector("[data-testid='parcoords-axis'][data-key='lr']"));
    int h = lr.getRect().getHeight();
    assertThat(lr.getRect().getWidth()).isGreaterThanOrEqualTo(20);

    // From above the axis's top (0.3) down to about 0.014: the three largest learning rates.
    new Actions(page.driver())
        .moveToElement(lr, 0, 2 - h / 2)
        .clickAndHold()
        .moveByOffset(0, 60)
        .moveByOffset(0, 60)
        .release()
        .perform();
    page.waitFor("3 rows brushed", d -> "3".equals(chart.getAttribute("data-brushed")));
    @SuppressWarnings("unchecked")
    Map<String, List<Number>> brushes =
        (Map<String, List<Number>>) page.script("return window.__brushes;");
    assertThat(brushes).containsOnlyKeys("lr");
    assertThat(brushes.get("lr").get(1).doubleValue()).isEqualTo(0.3);
    assertThat(brushes.get("lr").get(0).doubleValue()).isBetween(0.01, 0.03);

    // A click near the bottom of the axis, outside the brush, clears it.
    new Actions(page.driver()).moveToElement(lr, 0, h / 2 - 10).click().perform();
    page.waitFor("all 6 rows again", d -> "6".equals(chart.getAttribute("data-brushed")));
    assertThat(page.script("return JSON.stringify(window.__pc.brushes());")).isEqualTo("{}");

    // Brushes restored from a URL combine with AND across axes.
    page.script("window.__pc.setBrushes({ opt: ['adam'], acc: [0.5, 1] });");
    assertThat(chart.getAttribute("data-brushed")).isEqualTo("2");
    assertThat(page.consoleErrors()).isEmpty();
  }

  private List<WebElement> heatmaps() {
    return page.all("stats-heatmap");
  }

  private static int epochsOf(WebElement heatmap) {
    String e = heatmap.getAttribute("data-epochs");
    return e == null || e.isEmpty() ? 0 : Integer.parseInt(e);
  }
}
