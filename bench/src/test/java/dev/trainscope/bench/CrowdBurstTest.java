package dev.trainscope.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seconds-long smoke run of the burst harness: a server JVM, Node clients and the floor, so that
 * the harness keeps working between measurements. Needs node and npm (and npm's registry the first
 * time, to install eventsource into ~/.cache); skipped without them, except in CI.
 */
class CrowdBurstTest {
  @Test
  @Timeout(180)
  void everyClientGetsEveryEventFromTrainscopeAndTheFloorAndTheRatiosAreMeasured()
      throws Exception {
    if (!NodeCrowd.available()) {
      String message = "the burst harness needs node and npm (apt-get install -y nodejs npm)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) throw new AssertionError(message);
      System.err.println("SKIPPED: " + message);
      Assumptions.abort(message);
    }
    Path nodeDir = Path.of(System.getProperty("user.home"), ".cache", "trainscope-bench", "node");
    CrowdBurst.Report report = CrowdBurst.run(nodeDir, List.of(3), 20, 1, List.of());

    // Cold Trainscope, the floor's first burst, then warm Trainscope and the floor again.
    assertThat(report.bursts()).hasSize(4);
    for (CrowdBurst.Burst b : report.bursts()) {
      assertThat(b.lossless()).as(b.target() + " " + b.report()).isTrue();
      // run-started, 20 epochs of at least an epoch event each, run-completed
      assertThat(b.report().path("events").asInt()).isGreaterThanOrEqualTo(22);
      assertThat(b.report().path("measured").asInt()).isPositive();
    }
    // The floor replays the very run it was recorded from.
    assertThat(report.bursts().get(1).report().path("events"))
        .isEqualTo(report.bursts().get(0).report().path("events"));
    assertThat(report.ratios())
        .extracting(CrowdBurst.Ratio::label)
        .containsExactly("cold 3", "warm 3");
    for (CrowdBurst.Ratio r : report.ratios()) {
      assertThat(r.p50()).isFinite().isPositive();
      assertThat(r.p99()).isFinite().isPositive();
      assertThat(r.max()).isFinite().isPositive();
    }
  }
}
