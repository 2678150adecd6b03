package dev.trainscope.server.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The run view's Playground parts in headless Chromium against a real server: the decision map of a
 * circles run drawn from each {@code decision-boundary} with its points, a neuron tile per hidden
 * unit, a weight and a bias edited while paused, and the probe chosen by clicking the map.
 */
class PlaygroundBrowserTest {
  private static final String TWO_LAYERS =
      "\"dataset\":\"circles\",\"layers\":[{\"units\":4,\"activation\":\"tanh\"},"
          + "{\"units\":3,\"activation\":\"relu\"},{\"units\":2,\"activation\":\"softmax\"}]";

  @RegisterExtension final DashboardPage page = new DashboardPage(Duration.ofSeconds(30));

  @Test
  void aCirclesRunDrawsEachBoundaryWithItsPointsAndATilePerHiddenUnit() throws Exception {
    String id =
        page.createRun(
            "{"
                + TWO_LAYERS
                + ",\"epochs\":20000,\"traceEvery\":10,\"epochDelayMs\":60,"
                + "\"optimizer\":{\"type\":\"adam\",\"learningRate\":0.05}}");
    page.open("#run=" + id);
    Map<String, Object> first = page.waitFor("a drawn map", d -> drawnMap(e -> true));
    int firstEpoch = Integer.parseInt((String) first.get("epoch"));
    Map<String, Object> later =
        page.waitFor(
            "the map of a later traced epoch",
            d -> drawnMap(e -> Integer.parseInt(e) >= firstEpoch + 20));
    page.post("/api/runs/" + id + "/stop", null);

    // Each drawing is its epoch's grid, byte for byte, and the canvas changed with it.
    List<JsonNode> events = page.events(id);
    assertThat(first.get("digest")).isEqualTo(digestOf(boundaryAt(events, firstEpoch)));
    int laterEpoch = Integer.parseInt((String) later.get("epoch"));
    assertThat(later.get("digest")).isEqualTo(digestOf(boundaryAt(events, laterEpoch)));
    assertThat(later.get("digest")).isNotEqualTo(first.get("digest"));
    assertThat(later.get("pixels")).isNotEqualTo(first.get("pixels"));

    // Every sample of the data-points event is drawn.
    JsonNode points = ofType(events, "data-points").get(0);
    int train = points.path("train").path("x").size();
    int validation = points.path("validation").path("x").size();
    assertThat(train).isEqualTo(160);
    assertThat(validation).isEqualTo(40);
    WebElement map = page.byId("decision-map");
    assertThat(map.getAttribute("data-points")).isEqualTo(String.valueOf(train + validation));
    assertThat(map.getAttribute("data-train")).isEqualTo(String.valueOf(train));
    assertThat(page.all("map-class").stream().map(c -> c.getAttribute("data-class")).toList())
        .containsExactly("0", "1");

    // A tile for each of the 4 + 3 hidden units and each output class, from the shown boundary.
    page.waitFor(
        "tiles of the map's epoch",
        d ->
            Boolean.TRUE.equals(
                page.script(
                    "const m = document.querySelector(\"[data-testid='decision-map']\");"
                        + "const t = [...document.querySelectorAll('[data-tile]')];"
                        + "return t.length === 9 && t.every(n => n.dataset.tileEpoch === m.dataset.epoch"
                        + " && n.querySelector('image').getAttribute('href').startsWith('blob:'));")));
    assertThat(tiles("unit")).containsExactly("0:0", "0:1", "0:2", "0:3", "1:0", "1:1", "1:2");
    assertThat(tiles("class")).containsExactly("2:0", "2:1");
    assertThat(page.byId("network").getAttribute("data-tiles")).isEqualTo("9");
    assertThat(page.consoleErrors()).isEmpty();
  }

  @Test
  void aWeightAndABiasEditedWhilePausedChangeTheShownTrace() throws Exception {
    String id =
        page.createRun(
            "{" + TWO_LAYERS + ",\"epochs\":20000,\"traceEvery\":1,\"epochDelayMs\":100}");
    page.open("#run=" + id);
    page.waitFor("a drawn map", d -> drawnMap(e -> true));
    page.waitForPipelineValues();

    // Running: an edge says to pause first and a click opens nothing.
    assertThat(page.byId("network").getAttribute("data-editable")).isEqualTo("false");
    assertThat(edge(0, 1, 0).findElement(By.tagName("title")).getAttribute("textContent"))
        .contains("pause the run to edit");
    clickEdge(0, 1, 0);
    assertThat(page.byId("weight-editor").isDisplayed()).isFalse();

    page.byId("btn-pause").click();
    page.waitForState("paused");
    JsonNode pausedTrace = waitUntilPausedAndShown(id);
    page.waitFor(
        "an editable diagram",
        d -> "true".equals(page.byId("network").getAttribute("data-editable")));

    // A weight: the editor shows its traced value; a bad value gets the server's own words.
    clickEdge(0, 1, 0);
    WebElement editor = page.byId("weight-editor");
    page.waitFor("the weight editor", d -> editor.isDisplayed());
    assertThat(page.byId("weight-label").getText())
        .isEqualTo("weight of layer 1: input 1 \u2192 unit 2");
    double traced = pausedTrace.path("layers").get(0).path("weights").get(1).get(0).asDouble();
    assertThat(Double.parseDouble(page.byId("weight-current").getAttribute("data-value")))
        .isEqualTo(traced);
    page.setField("weight-value", "abc");
    page.byId("weight-apply").click();
    page.waitFor(
        "the server's error in the editor",
        d ->
            page.byId("weight-error")
                .getText()
                .equals("value a finite number required but was \"abc\""));
    // The browser logs the 400 itself; nothing else may be in the console.
    assertThat(page.consoleErrors())
        .singleElement()
        .asString()
        .contains("/weights - Failed to load resource: the server responded with a status of 400");
    page.setField("weight-value", "2.5");
    page.byId("weight-apply").click();
    page.waitFor("the editor to close", d -> !editor.isDisplayed());

    JsonNode edited = waitForEdit(id, 1);
    assertThat(edited.path("oldValue").asDouble()).isEqualTo(traced);
    JsonNode afterWeight = traceAfter(id, edited.path("seq").asLong());
    assertThat(afterWeight.path("layers").get(0).path("weights").get(1).get(0).asDouble())
        .isEqualTo(2.5);
    assertPipelineShows(afterWeight);
    assertThat(edge(0, 1, 0).getAttribute("data-value")).isEqualTo("2.5");
    page.waitFor(
        "the edit in the epoch table",
        d ->
            page.all("edit-tag").stream()
                .anyMatch(
                    t -> t.getText().startsWith("set weight of layer 1: input 1 \u2192 unit 2: ")));
    // The fresh boundary after the edit is the one drawn.
    JsonNode boundary =
        page.waitFor(
            "the boundary after the edit",
            d ->
                ofType(page.events(id), "decision-boundary").stream()
                    .filter(e -> e.path("seq").asLong() > edited.path("seq").asLong())
                    .findFirst()
                    .orElse(null));
    page.waitFor(
        "the edited boundary drawn",
        d -> digestOf(boundary).equals(page.byId("decision-map").getAttribute("data-digest")));

    // A bias: a click on a node; its current value is read off the trace (z - x.w).
    WebElement node = node(1, 2);
    page.script("arguments[0].scrollIntoView({block: 'center'});", node);
    node.click();
    page.waitFor("the bias editor", d -> editor.isDisplayed());
    assertThat(page.byId("weight-label").getText()).isEqualTo("bias of layer 2 unit 3");
    double shownBias = Double.parseDouble(page.byId("weight-current").getAttribute("data-value"));
    page.setField("weight-value", "-0.75");
    page.byId("weight-apply").click();
    JsonNode biasEdit = waitForEdit(id, 2);
    assertThat(biasEdit.path("bias").asBoolean()).isTrue();
    assertThat(biasEdit.path("layer").asInt()).isEqualTo(1);
    assertThat(biasEdit.path("unit").asInt()).isEqualTo(2);
    assertThat(shownBias).isCloseTo(biasEdit.path("oldValue").asDouble(), within(1e-5));
    JsonNode afterBias = traceAfter(id, biasEdit.path("seq").asLong());
    assertPipelineShows(afterBias);
    assertThat(page.consoleErrors()).isEmpty();
  }

  @Test
  void clickingASampleOnTheMapMakesItTheProbe() throws Exception {
    String id =
        page.createRun(
            "{" + TWO_LAYERS + ",\"epochs\":20000,\"traceEvery\":1,\"epochDelayMs\":80}");
    page.open("#run=" + id);
    page.waitFor(
        "a drawn map with its points",
        d ->
            drawnMap(e -> true) != null
                && !"0".equals(page.byId("decision-map").getAttribute("data-points")));
    List<JsonNode> events = page.events(id);
    JsonNode points = ofType(events, "data-points").get(0);
    JsonNode boundary = ofType(events, "decision-boundary").get(0);
    JsonNode train = points.path("train");
    // The training sample farthest from any other, so the click can only mean it.
    int k = loneliest(points, boundary);
    double x = train.path("x").get(k).asDouble();
    double y = train.path("y").get(k).asDouble();
    clickMapAt(boundary, x, y);

    double[] mean = {points.path("mean").get(0).asDouble(), points.path("mean").get(1).asDouble()};
    double[] std = {points.path("std").get(0).asDouble(), points.path("std").get(1).asDouble()};
    page.waitFor(
        "the input card to show the clicked sample",
        d -> {
          List<Double> in = inputValues();
          return in.size() == 2
              && Math.abs(in.get(0) * std[0] + mean[0] - x) < 1e-5
              && Math.abs(in.get(1) * std[1] + mean[1] - y) < 1e-5;
        });
    String label = train.path("label").get(k).asText();
    page.waitFor(
        "the sample's class named", d -> inputCardText().contains("actual class: " + label));
    String[] marked = page.byId("decision-map").getAttribute("data-probe").split(",");
    assertThat(Double.parseDouble(marked[0])).isCloseTo(x, within(1e-5));
    assertThat(Double.parseDouble(marked[1])).isCloseTo(y, within(1e-5));

    // Anywhere else, the click's position is the probe (within a pixel of the map).
    double px = boundary.path("xMin").asDouble() + 0.03 * width(boundary);
    double py = boundary.path("yMin").asDouble() + 0.03 * height(boundary);
    clickMapAt(boundary, px, py);
    double pixel = Math.max(width(boundary), height(boundary)) / 320;
    page.waitFor(
        "the input card to show the clicked place",
        d -> {
          List<Double> in = inputValues();
          return in.size() == 2
              && Math.abs(in.get(0) * std[0] + mean[0] - px) < pixel
              && Math.abs(in.get(1) * std[1] + mean[1] - py) < pixel;
        });
    assertThat(page.byId("map-error").getText()).isEmpty();
    assertThat(page.consoleErrors()).isEmpty();
  }

  // ---------- the map ----------

  /** The map's epoch, digest and pixels read at one instant, when its epoch passes the test. */
  @SuppressWarnings("unchecked")
  private Map<String, Object> drawnMap(Predicate<String> epoch) {
    Object r =
        page.script(
            "const c = document.querySelector(\"[data-testid='decision-map']\");"
                + "if (!c || !c.dataset.digest || c.closest('[hidden]')) return null;"
                + "return {epoch: c.dataset.epoch, digest: c.dataset.digest, pixels: c.toDataURL()};");
    if (r == null) return null;
    Map<String, Object> m = (Map<String, Object>) r;
    return epoch.test((String) m.get("epoch")) ? m : null;
  }

  /** FNV-1a (32 bits) over a boundary's predicted then confidence bytes, as the page shows it. */
  private static String digestOf(JsonNode boundary) {
    int h = 0x811c9dc5;
    for (String field : List.of("predicted", "confidence")) {
      for (byte b : Base64.getDecoder().decode(boundary.path(field).asText())) {
        h ^= b & 0xff;
        h *= 0x01000193;
      }
    }
    return String.format("%08x", h);
  }

  private static JsonNode boundaryAt(List<JsonNode> events, int epoch) {
    return ofType(events, "decision-boundary").stream()
        .filter(e -> e.path("epoch").asInt() == epoch)
        .findFirst()
        .orElseThrow();
  }

  private static List<JsonNode> ofType(List<JsonNode> events, String type) {
    return events.stream().filter(e -> e.path("type").asText().equals(type)).toList();
  }

  private static double width(JsonNode b) {
    return b.path("xMax").asDouble() - b.path("xMin").asDouble();
  }

  private static double height(JsonNode b) {
    return b.path("yMax").asDouble() - b.path("yMin").asDouble();
  }

  /** Clicks the map where the data point (x, y) is, by the protocol's extent (y upwards). */
  private void clickMapAt(JsonNode b, double x, double y) {
    WebElement map = page.byId("decision-map");
    page.script("arguments[0].scrollIntoView({block: 'center'});", map);
    @SuppressWarnings("unchecked")
    Map<String, Number> rect =
        (Map<String, Number>)
            page.script(
                "const r = arguments[0].getBoundingClientRect();"
                    + "return {left: r.left, top: r.top, width: r.width, height: r.height};",
                map);
    double left = rect.get("left").doubleValue() + 1; // the canvas's 1 px border
    double top = rect.get("top").doubleValue() + 1;
    double w = rect.get("width").doubleValue() - 2;
    double h = rect.get("height").doubleValue() - 2;
    int cx = (int) Math.round(left + (x - b.path("xMin").asDouble()) / width(b) * w);
    int cy = (int) Math.round(top + (b.path("yMax").asDouble() - y) / height(b) * h);
    new Actions(page.driver()).moveToLocation(cx, cy).click().perform();
  }

  /** The training point whose nearest other point (of either split) is farthest, in data units. */
  private static int loneliest(JsonNode points, JsonNode b) {
    JsonNode train = points.path("train");
    JsonNode val = points.path("validation");
    int best = -1;
    double bestD = -1;
    for (int i = 0; i < train.path("x").size(); i++) {
      double d = Double.MAX_VALUE;
      for (JsonNode set : List.of(train, val)) {
        for (int j = 0; j < set.path("x").size(); j++) {
          if (set == train && j == i) continue;
          double dx =
              (set.path("x").get(j).asDouble() - train.path("x").get(i).asDouble()) / width(b);
          double dy =
              (set.path("y").get(j).asDouble() - train.path("y").get(i).asDouble()) / height(b);
          d = Math.min(d, dx * dx + dy * dy);
        }
      }
      if (d > bestD) {
        bestD = d;
        best = i;
      }
    }
    return best;
  }

  // ---------- the diagram ----------

  private WebElement edge(int layer, int unit, int input) {
    return page.driver()
        .findElement(
            By.cssSelector(
                "[data-testid='edge'][data-layer='%d'][data-unit='%d'][data-input='%d']"
                    .formatted(layer, unit, input)));
  }

  private WebElement node(int layer, int unit) {
    return page.driver()
        .findElement(
            By.cssSelector(
                "[data-testid='node'][data-layer='%d'][data-unit='%d']".formatted(layer, unit)));
  }

  /**
   * Clicks an edge a fifth of the way from its input: there, unlike at its middle, no other edge
   * crosses it.
   */
  private void clickEdge(int layer, int unit, int input) {
    WebElement e = edge(layer, unit, input);
    page.script("arguments[0].scrollIntoView({block: 'center'});", e);
    @SuppressWarnings("unchecked")
    Map<String, Number> at =
        (Map<String, Number>)
            page.script(
                "const l = arguments[0].querySelector('line.hit');"
                    + "const m = l.getScreenCTM(); const p = l.ownerSVGElement.createSVGPoint();"
                    + "const x1 = l.x1.baseVal.value, y1 = l.y1.baseVal.value;"
                    + "p.x = x1 + 0.2 * (l.x2.baseVal.value - x1); p.y = y1 + 0.2 * (l.y2.baseVal.value - y1);"
                    + "const q = p.matrixTransform(m); return {x: q.x, y: q.y};",
                e);
    new Actions(page.driver())
        .moveToLocation(
            (int) Math.round(at.get("x").doubleValue()),
            (int) Math.round(at.get("y").doubleValue()))
        .click()
        .perform();
  }

  /** The "layer:unit" of each node with a tile of this kind. */
  private List<String> tiles(String kind) {
    return page.all("node").stream()
        .filter(n -> kind.equals(n.getAttribute("data-tile")))
        .map(n -> n.getAttribute("data-layer") + ":" + n.getAttribute("data-unit"))
        .toList();
  }

  // ---------- the trace ----------

  /** The n-th weights-edited event, once logged. */
  private JsonNode waitForEdit(String id, int n) {
    return page.waitFor(
        "weights-edited #" + n,
        d -> {
          List<JsonNode> edits = ofType(page.events(id), "weights-edited");
          return edits.size() >= n ? edits.get(n - 1) : null;
        });
  }

  /**
   * Waits until the log's last event is a status (the run paused) and the page has applied every
   * event up to it; returns the log's latest activations.
   */
  private JsonNode waitUntilPausedAndShown(String id) {
    return page.waitFor(
        "the page to have the log up to its pause",
        d -> {
          List<JsonNode> all = page.events(id);
          JsonNode last = all.get(all.size() - 1);
          if (!last.path("type").asText().equals("status")) return null;
          if (pageSeq() != last.path("seq").asLong()) return null;
          List<JsonNode> acts = ofType(all, "activations");
          return acts.get(acts.size() - 1);
        });
  }

  /** The first activations logged after the event of seq {@code after}, once the page has it. */
  private JsonNode traceAfter(String id, long after) {
    return page.waitFor(
        "the trace after seq " + after + " on the page",
        d ->
            ofType(page.events(id), "activations").stream()
                .filter(e -> e.path("seq").asLong() > after && pageSeq() >= e.path("seq").asLong())
                .findFirst()
                .orElse(null));
  }

  private long pageSeq() {
    String s = page.byId("run-view").getAttribute("data-last-seq");
    return s == null || s.isEmpty() ? -1 : Long.parseLong(s);
  }

  /** The input card's text, read in one script (the cards are rebuilt at every trace). */
  private String inputCardText() {
    String t =
        (String)
            page.script("return document.querySelector(\"[data-stage='input']\").textContent;");
    return t;
  }

  /** The input card's exact values. */
  private List<Double> inputValues() {
    Object v =
        page.script(
            "return [...document.querySelectorAll(\"[data-stage='input'] [data-kind='input']\")]"
                + ".map(e => Number(e.dataset.value));");
    return ((List<?>) v).stream().map(n -> ((Number) n).doubleValue()).toList();
  }

  /** Waits until the cards show this trace's input and every layer's z and f(z), exactly. */
  private void assertPipelineShows(JsonNode act) {
    page.waitFor(
        "the cards to show the trace of seq " + act.path("seq").asLong(),
        d -> {
          Object shown =
              page.script(
                  "return [...document.querySelectorAll(\"[data-testid='pipeline'] [data-testid='stage']\")]"
                      + ".map(s => ['input', 'linear', 'output'].map(k =>"
                      + " [...s.querySelectorAll(`[data-kind='${k}']`)].map(e => Number(e.dataset.value))));");
          List<?> stages = (List<?>) shown;
          if (stages.size() != 1 + act.path("layers").size()) return false;
          if (!same((List<?>) ((List<?>) stages.get(0)).get(0), act.path("input"))) return false;
          for (int i = 0; i < act.path("layers").size(); i++) {
            List<?> s = (List<?>) stages.get(i + 1);
            JsonNode l = act.path("layers").get(i);
            if (!same((List<?>) s.get(1), l.path("linear"))) return false;
            if (!same((List<?>) s.get(2), l.path("output"))) return false;
          }
          return true;
        });
  }

  private static boolean same(List<?> shown, JsonNode expected) {
    if (shown.size() != expected.size()) return false;
    for (int i = 0; i < shown.size(); i++) {
      if (((Number) shown.get(i)).doubleValue() != expected.get(i).asDouble()) return false;
    }
    return true;
  }
}
