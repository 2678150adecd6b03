package dev.trainscope.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The dashboard's words about a live run, in real headless Chromium: each quiz answer quotes the
 * live value that proves it and marks that value in the data-flow card (and follows the next
 * trace), says so when there is nothing to point at, and the epoch table shows every epoch's
 * observation.
 */
class LiveLearnBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension final DashboardPage page = new DashboardPage(WAIT, this::describePage);

  private String describePage() {
    return "run="
        + page.runId()
        + " lastSeq="
        + page.byId("run-view").getAttribute("data-last-seq")
        + " relu="
        + proof("relu")
        + " softmax="
        + proof("softmax");
  }

  /**
   * One instant of the page: a quiz answer's proof (text, found, the trace epoch it quotes), the
   * data-flow card's epoch and its highlighted cells, read in one script since the cards are
   * rebuilt at every trace.
   */
  @SuppressWarnings("unchecked")
  private Map<String, Object> proof(String quiz) {
    return (Map<String, Object>)
        page.script(
            "const p = document.querySelector(`[data-testid='quiz-proof-${arguments[0]}']`);"
                + "const pipe = document.querySelector(\"[data-testid='pipeline']\");"
                + "return {text: p.hidden ? null : p.textContent, found: p.dataset.found,"
                + " epoch: p.dataset.epoch, pipelineEpoch: pipe.dataset.epoch,"
                + " cells: [...pipe.querySelectorAll('.val.proof')].map(c => ({"
                + "  stage: c.closest(\"[data-testid='stage']\").dataset.stage, kind: c.dataset.kind,"
                + "  text: c.textContent, value: Number(c.dataset.value), proof: c.dataset.proof}))};",
            quiz);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> cells(Map<String, Object> proof) {
    return (List<Map<String, Object>>) proof.get("cells");
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  private JsonNode lastActivations(String id) {
    JsonNode act = null;
    for (JsonNode e : page.events(id)) if (e.path("type").asText().equals("activations")) act = e;
    return act;
  }

  /** Waits until the page's cards and the quiz's proof both show the trace of this epoch. */
  private Map<String, Object> waitForProofOf(String quiz, int epoch) {
    String e = String.valueOf(epoch);
    return page.waitFor(
        quiz + " proof and cards at epoch " + e,
        d -> {
          Map<String, Object> p = proof(quiz);
          return e.equals(p.get("epoch")) && e.equals(p.get("pipelineEpoch")) ? p : null;
        });
  }

  private void answer(String quiz, int option) {
    page.byId("quiz-" + quiz + "-option-" + option).click();
    page.waitFor(
        "the " + quiz + " feedback",
        d -> "correct".equals(page.byId("quiz-feedback-" + quiz).getAttribute("data-result")));
  }

  /** The layer's outputs, every one highlighted in its card and quoted in the proof. */
  private static void assertRowQuoted(Map<String, Object> p, String quiz, JsonNode layer) {
    List<Map<String, Object>> cells = cells(p);
    JsonNode out = layer.path("output");
    assertThat(cells).hasSize(out.size());
    for (int i = 0; i < out.size(); i++) {
      Map<String, Object> c = cells.get(i);
      assertThat(c.get("stage")).isEqualTo("layer-" + layer.path("index").asInt());
      assertThat(c.get("kind")).isEqualTo("output");
      assertThat(c.get("proof")).isEqualTo(quiz);
      assertThat(((Number) c.get("value")).doubleValue()).isEqualTo(out.get(i).asDouble());
      assertThat((String) p.get("text")).contains((String) c.get("text"));
    }
  }

  @Test
  void eachAnswerQuotesTheLiveValueThatProvesItAndMarksItInTheDataFlow() throws Exception {
    String id = page.createRun("{\"epochs\": 20000, \"epochDelayMs\": 50, \"traceEvery\": 1}");
    page.open("#run=" + id);
    page.waitForPipelineValues();
    answer("relu", 0);
    page.post("/api/runs/" + id + "/pause", null);
    // The state turns paused at the request; the log ends with its status at the epoch boundary.
    page.waitFor(
        "the log to end with status paused",
        d -> {
          List<JsonNode> all = page.events(id);
          JsonNode last = all.get(all.size() - 1);
          return last.path("type").asText().equals("status")
              && last.path("state").asText().equals("paused");
        });
    JsonNode act = lastActivations(id);
    int epoch = act.path("epoch").asInt();

    // ReLU: the zero in layer 1 (the reference network's ReLU layer) right now.
    Map<String, Object> relu = waitForProofOf("relu", epoch);
    JsonNode l1 = act.path("layers").get(0);
    assertThat(l1.path("activation").asText()).isEqualTo("relu");
    int zero = -1;
    for (int i = 0; i < l1.path("output").size() && zero < 0; i++) {
      if (l1.path("output").get(i).asDouble() == 0) zero = i;
    }
    if (zero < 0) {
      assertThat(relu.get("found")).isEqualTo("false");
      assertThat((String) relu.get("text")).startsWith("No unit of layer 1 is zero right now");
      assertThat(cells(relu)).isEmpty();
    } else {
      double z = l1.path("linear").get(zero).asDouble();
      assertThat(relu.get("found")).isEqualTo("true");
      assertThat(relu.get("text"))
          .isEqualTo(
              "Live proof, layer 1 (highlighted in the data flow): unit "
                  + (zero + 1)
                  + " gets z = "
                  + fmt(z)
                  + " and ReLU turns it into 0.000.");
      List<Map<String, Object>> cells = cells(relu);
      assertThat(cells).extracting(c -> c.get("stage")).containsOnly("layer-0");
      assertThat(cells).extracting(c -> c.get("kind")).containsExactly("linear", "output");
      assertThat(cells).extracting(c -> c.get("text")).containsExactly(fmt(z), "0.000");
      assertThat(((Number) cells.get(0).get("value")).doubleValue()).isEqualTo(z);
    }

    // Sigmoid: layer 2's live outputs, each between 0 and 1.
    answer("sigmoid", 2);
    Map<String, Object> sig = waitForProofOf("sigmoid", epoch);
    assertThat(sig.get("found")).isEqualTo("true");
    assertRowQuoted(sig, "sigmoid", act.path("layers").get(1));
    for (Map<String, Object> c : cells(sig)) {
      assertThat(((Number) c.get("value")).doubleValue()).isBetween(0.0, 1.0);
    }

    // Softmax: the output row, by class, and its sum.
    answer("softmax", 1);
    Map<String, Object> soft = waitForProofOf("softmax", epoch);
    assertThat(soft.get("found")).isEqualTo("true");
    assertRowQuoted(soft, "softmax", act.path("layers").get(2));
    assertThat((String) soft.get("text")).contains("setosa ").contains(" = 1.000;");
    page.screenshot("learn-proof.png");
    page.script("arguments[0].scrollIntoView()", page.byId("quiz"));
    page.screenshot("learn-quiz.png");

    // The next trace: the answered proofs follow it, and the marks move to its cards.
    page.post("/api/runs/" + id + "/step", null);
    page.waitFor(
        "the stepped epoch's trace in the log",
        d -> lastActivations(id).path("epoch").asInt() == epoch + 1);
    JsonNode next = lastActivations(id);
    Map<String, Object> after = waitForProofOf("softmax", epoch + 1);
    assertRowQuoted(after, "softmax", next.path("layers").get(2));
    assertThat(proof("relu").get("epoch")).isEqualTo(String.valueOf(epoch + 1));
    assertThat(page.consoleErrors()).isEmpty();
  }

  @Test
  void withoutATraceOrSuchALayerTheAnswerSaysSoAndMarksNothing() throws Exception {
    String ext =
        page.post("/api/runs", "{\"external\": true, \"name\": \"no-trace\"}").path("id").asText();
    page.open("#run=" + ext);
    page.waitFor("the run selected", d -> ext.equals(page.runId()));
    answer("relu", 0);
    Map<String, Object> none = proof("relu");
    assertThat(none.get("found")).isEqualTo("false");
    assertThat((String) none.get("text")).startsWith("No trace yet");
    assertThat(cells(none)).isEmpty();

    String id =
        page.createRun(
            "{\"epochs\": 2, \"epochDelayMs\": 0, \"layers\": [{\"units\": 4, \"activation\":"
                + " \"relu\"}, {\"units\": 3, \"activation\": \"softmax\"}]}");
    page.waitForServerState(id, "completed");
    page.open("#run=" + id);
    page.waitFor(
        "the trace of epoch 2", d -> "2".equals(page.byId("pipeline").getAttribute("data-epoch")));
    answer("sigmoid", 2);
    Map<String, Object> sig = waitForProofOf("sigmoid", 2);
    assertThat(sig.get("found")).isEqualTo("false");
    assertThat(sig.get("text"))
        .isEqualTo("This network has no sigmoid layer, so there is no sigmoid output to point at.");
    assertThat(cells(sig)).isEmpty();
    assertThat(page.byId("key-insight").getText())
        .doesNotContain("null")
        .doesNotContain("undefined");
  }

  @Test
  void theEpochTableShowsEveryEpochsObservation() throws Exception {
    String id = page.createRun("{\"epochs\": 5, \"epochDelayMs\": 0}");
    page.waitForServerState(id, "completed");
    page.open("#run=" + id);
    page.waitFor("five epoch rows", d -> page.all("epoch-row").size() == 5);
    List<String> expected = new ArrayList<>();
    for (JsonNode e : page.events(id)) {
      if (e.path("type").asText().equals("epoch")) expected.add(0, e.path("observation").asText());
    }
    assertThat(expected).hasSize(5).allSatisfy(o -> assertThat(o).isNotBlank());
    // Newest first, as the table shows them.
    assertThat(observations()).isEqualTo(expected);

    // A pushed epoch may come without one: its row shows none, never "null" or "undefined".
    String ext =
        page.post("/api/runs", "{\"external\": true, \"name\": \"pushed\"}").path("id").asText();
    page.post(
        "/api/runs/" + ext + "/events",
        "[{\"type\": \"epoch\", \"epoch\": 1, \"loss\": 0.9},"
            + " {\"type\": \"epoch\", \"epoch\": 2, \"loss\": 0.8, \"observation\": \"Pushed words.\"}]");
    page.open("#run=" + ext);
    page.waitFor("two epoch rows", d -> page.all("epoch-row").size() == 2);
    assertThat(observations()).containsExactly("Pushed words.", "");
    assertThat(page.byId("epoch-table").getText())
        .doesNotContain("null")
        .doesNotContain("undefined");
  }

  /** Each row's observation, top to bottom, read in one script. */
  @SuppressWarnings("unchecked")
  private List<String> observations() {
    return (List<String>)
        page.script(
            "return [...document.querySelectorAll(\"[data-testid='epoch-row']\")].map(r => {"
                + " const o = r.querySelector('.observation'); return o ? o.textContent : ''; });");
  }
}
