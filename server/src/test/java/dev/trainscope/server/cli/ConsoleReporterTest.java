package dev.trainscope.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.engine.event.TrainingEvent.Epoch;
import dev.trainscope.engine.event.TrainingEvent.Insight;
import dev.trainscope.engine.event.TrainingEvent.ModelInfo;
import dev.trainscope.engine.event.TrainingEvent.RunCompleted;
import dev.trainscope.engine.event.TrainingEvent.RunStarted;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleReporterTest {
  private final StringWriter text = new StringWriter();
  private final ConsoleReporter reporter = new ConsoleReporter(new PrintWriter(text, true), 1);

  @Test
  void externalRunWithoutConfigDataOrLossIsPrinted() {
    List<TrainingEvent> events =
        List.of(
            new RunStarted("ext", 0, 0, null, new ModelInfo(0, List.of(), 0, null), null),
            new Epoch("ext", 1, 0, 1, 0, 0.9, 0.5, null, null, null, 0, Map.of()),
            new Epoch(
                "ext", 2, 0, 2, 0, null, 0.6, null, null, null, 0, Map.of("loss", Double.NaN)),
            new Insight("ext", 3, 0, 2, "warning", "non-finite-metric", "loss was NaN", null),
            new Epoch("ext", 4, 0, 3, 0, 0.7, 0.7, null, null, null, 0, Map.of()),
            new RunCompleted("ext", 5, 0, 3, 0.7, 0.7, null, null, null, null, null, 0, false));

    events.forEach(reporter::accept);
    reporter.summary("Stream: x");

    String out = text.toString();
    assertThat(out).contains("Run ext: external run");
    assertThat(out).containsPattern("(?m)^\\s+2\\s+-\\s+0\\.6000");
    assertThat(out).contains("non-finite-metric").contains("Completed after 3 epochs");
    assertThat(out).contains("Training loss by epoch");
  }

  @Test
  void epochLineWaitsForItsInsightsAndShowsThemAsTheObservation() {
    reporter.accept(new Epoch("r", 0, 0, 1, 10, 1.0, 0.5, 1.1, 0.4, 0.1, 1, Map.of()));
    assertThat(text.toString()).doesNotContain("1.0000");

    reporter.accept(new Insight("r", 1, 0, 1, "info", "started", "First epoch", null));
    reporter.accept(new Epoch("r", 2, 0, 2, 10, 0.8, 0.6, 0.9, 0.5, 0.1, 1, Map.of()));

    assertThat(text.toString()).containsPattern("(?m)^\\s+1\\s+1\\.0000.*training started$");
  }

  @Test
  void anEpochsOwnObservationIsPrintedInItsWords() {
    String said =
        "Loss fell 20.0% to 0.800, accuracy up 10.0 points to 60.0%: the network is learning.";
    reporter.accept(new Epoch("r", 0, 0, 1, 2, 1.0, 0.5, null, null, 0.1, 1, Map.of(), "First."));
    reporter.accept(new Insight("r", 1, 0, 1, "info", "started", "First epoch", null));
    reporter.accept(new Epoch("r", 2, 0, 2, 2, 0.8, 0.6, null, null, 0.1, 1, Map.of(), said));
    reporter.accept(
        new RunCompleted("r", 3, 0, 2, 0.8, 0.6, null, null, null, null, null, 0, false));

    assertThat(text.toString())
        .containsPattern("(?m)^\\s+1\\s+1\\.0000.*  First\\.$")
        .contains("0.8000    0.6000         -         -  " + said);
  }
}
