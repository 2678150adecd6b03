package dev.trainscope.server.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.engine.event.DataPoints;
import dev.trainscope.engine.event.DecisionBoundary;
import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.engine.event.WeightsEdited;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventCodecTest {
  static final EventCodec CODEC = new EventCodec();

  static final TrainingEvent.Summary SUMMARY =
      new TrainingEvent.Summary(4, 0.25, 0.5, -1, 1.5, List.of(1, 2, 1));

  /** One event of every type, with nested records, null fields and empty lists. */
  static List<TrainingEvent> oneOfEach() {
    return List.of(
        new TrainingEvent.RunStarted(
            "r1",
            0,
            1000,
            TrainingConfig.builder().epochs(2).build(),
            new TrainingEvent.ModelInfo(
                2, List.of(new TrainingEvent.LayerInfo(0, 2, 2, "softmax", 6)), 6, "cross_entropy"),
            new TrainingEvent.DatasetInfo("xor", 4, 2, List.of("x", "y"), List.of("a", "b"), 3, 1)),
        new TrainingEvent.Epoch(
            "r1",
            1,
            1001,
            1,
            2,
            0.5,
            0.75,
            null,
            null,
            0.1,
            3,
            Map.of("mae", 0.125),
            "Loss fell 10.0% to 0.500: the network is learning."),
        new TrainingEvent.Activations(
            "r1",
            2,
            1002,
            1,
            List.of(0.5, -1.0),
            List.of(
                new TrainingEvent.LayerTrace(
                    0,
                    "softmax",
                    2,
                    2,
                    List.of(0.25, 0.0),
                    List.of(0.75, 0.25),
                    List.of(List.of(1.0, 2.0), List.of(3.0, 4.0)))),
            List.of(0.75, 0.25),
            0,
            "a",
            null,
            null),
        new TrainingEvent.LayerStats(
            "r1",
            3,
            1003,
            1,
            List.of(
                new TrainingEvent.LayerStat(
                    0, "relu", 2, SUMMARY, SUMMARY, SUMMARY, SUMMARY, 0.5, 1, null, 0.001))),
        new TrainingEvent.Insight("r1", 4, 1004, 1, "warning", "dead-relu", "Dead ReLUs", 0),
        new TrainingEvent.Batch("r1", 5, 1005, 2, 1, 3, 0.375),
        new TrainingEvent.Status("r1", 6, 1006, TrainingEvent.Status.PAUSED, 1),
        new TrainingEvent.RunCompleted(
            "r1",
            7,
            1007,
            2,
            0.25,
            1.0,
            null,
            null,
            List.of(List.of(2, 0), List.of(1, 1)),
            "training",
            List.of("a", "b"),
            7,
            false),
        new TrainingEvent.RunFailed(
            "r2", 3, 1008, 1, TrainingEvent.RunFailed.DIVERGED, "the loss became NaN"),
        new DataPoints(
            "r1",
            1,
            1001,
            List.of(0.5, -0.25),
            List.of(1.5, 2.0),
            1,
            new DataPoints.Points(List.of(0.25, 1.0), List.of(-1.0, 0.5), List.of(0, 1)),
            new DataPoints.Points(List.of(2.0), List.of(0.125), List.of(1))),
        new DecisionBoundary(
            "r1",
            8,
            1009,
            1,
            2,
            -1.5,
            1.5,
            -2.0,
            2.0,
            "AAEBAA==",
            "gP+AQA==",
            List.of(new DecisionBoundary.UnitMap(0, 1, -0.5, 2.0, "AH//gA=="))),
        new WeightsEdited("r1", 9, 1010, 1, 0, 1, 0, false, 0.25, -1.5));
  }

  @Test
  void oneEventOfEveryTypeEncodesAndDecodesToItself() {
    List<TrainingEvent> events = oneOfEach();

    assertThat(events).extracting(TrainingEvent::type).isEqualTo(TrainingEvent.TYPES);
    for (TrainingEvent e : events) {
      String json = CODEC.encode(e);
      assertThat(json).startsWith("{\"type\":\"" + e.type() + "\",").doesNotContain("\n");
      assertThat(CODEC.decode(json)).isEqualTo(e);
      assertThat(CODEC.decode(CODEC.toTree(e))).isEqualTo(e);
    }
  }

  /** The lines were written by the codec when its subtypes were listed by hand. */
  @Test
  void theWireFormatIsByteForByteTheOneOfTheLogsOnDisk() throws Exception {
    List<String> golden;
    try (var in = EventCodecTest.class.getResourceAsStream("one-of-each.ndjson")) {
      golden = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }

    assertThat(oneOfEach()).extracting(CODEC::encode).isEqualTo(golden);
    assertThat(oneOfEach())
        .extracting(e -> new String(CODEC.encodeBytes(e), StandardCharsets.UTF_8))
        .isEqualTo(golden);
    assertThat(golden).extracting(CODEC::decode).isEqualTo(oneOfEach());
  }

  @Test
  void anUnknownTypeIsRefusedListingTheTypes() {
    assertThatThrownBy(() -> CODEC.decode("{\"type\":\"weights\",\"runId\":\"r1\"}"))
        .isInstanceOfSatisfying(
            JsonInputException.class, e -> assertThat(e.field()).isEqualTo("type"))
        .hasMessage(
            "type one of [run-started, epoch, activations, layer-stats, insight, batch, status,"
                + " run-completed, run-failed, data-points, decision-boundary, weights-edited] required but was \"weights\"");
  }
}
