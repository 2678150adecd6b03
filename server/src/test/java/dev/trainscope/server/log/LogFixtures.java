package dev.trainscope.server.log;

import dev.trainscope.engine.event.TrainingEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small hand-made event sequences for log tests. */
final class LogFixtures {
  private LogFixtures() {}

  static List<TrainingEvent> epochs(String runId, int epochs, boolean complete) {
    List<TrainingEvent> events = new ArrayList<>();
    long seq = 0;
    for (int e = 1; e <= epochs; e++) {
      events.add(
          new TrainingEvent.Epoch(
              runId, seq, 1000 + seq, e, epochs, 1.0 / e, 0.5, null, null, 0.1, 3, Map.of()));
      seq++;
      events.add(
          new TrainingEvent.Insight(
              runId, seq, 1000 + seq, e, "info", "loss-decreasing", "ok", null));
      seq++;
    }
    if (complete) {
      events.add(
          new TrainingEvent.RunCompleted(
              runId,
              seq,
              1000 + seq,
              epochs,
              0.1,
              0.9,
              null,
              null,
              null,
              "training",
              null,
              10,
              false));
    }
    return events;
  }
}
