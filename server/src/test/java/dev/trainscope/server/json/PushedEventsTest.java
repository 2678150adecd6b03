package dev.trainscope.server.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainscope.engine.check.InvalidValueException;
import dev.trainscope.engine.event.TrainingEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PushedEventsTest {
  static final EventCodec CODEC = new EventCodec();

  static List<JsonNode> parse(String body, String type) {
    return PushedEvents.parse(body.getBytes(StandardCharsets.UTF_8), type);
  }

  @Test
  void objectArrayAndNdjsonBodiesGiveTheSameNodes() {
    String a = "{\"type\":\"epoch\",\"epoch\":1}";
    String b = "{\"type\":\"epoch\",\"epoch\":2}";
    assertThat(parse(a, "application/json")).hasSize(1);
    assertThat(parse("[" + a + "," + b + "]", "application/json")).hasSize(2);
    assertThat(parse(a + "\r\n\n" + b + "\n", "application/x-ndjson; charset=utf-8"))
        .isEqualTo(parse("[" + a + "," + b + "]", null));
  }

  @Test
  void missingRunIdSeqAndTimeAreFilledInOrder() {
    List<TrainingEvent> events =
        PushedEvents.decode(
            CODEC,
            "r1",
            5,
            99,
            0,
            parse(
                "[{\"type\":\"epoch\",\"epoch\":1,\"loss\":0.5},{\"type\":\"batch\",\"epoch\":2,\"batch\":1,\"loss\":0.4}]",
                null));

    assertThat(events).extracting(TrainingEvent::seq).containsExactly(5L, 6L);
    assertThat(events).extracting(TrainingEvent::time).containsExactly(99L, 99L);
    assertThat(events).extracting(TrainingEvent::runId).containsOnly("r1");
  }

  @Test
  void runCompletedDefaultsToTheLastEpochPushed() {
    List<TrainingEvent> events =
        PushedEvents.decode(
            CODEC,
            "r1",
            1,
            0,
            3,
            parse(
                "[{\"type\":\"epoch\",\"epoch\":4},{\"type\":\"run-completed\",\"loss\":0.1}]",
                null));

    TrainingEvent.RunCompleted done = (TrainingEvent.RunCompleted) events.get(1);
    assertThat(done.epochs()).isEqualTo(4);
    assertThat(done.stopped()).isFalse();
  }

  @Test
  void errorsNameTheEventIndexAndField() {
    assertThatThrownBy(
            () ->
                PushedEvents.decode(
                    CODEC,
                    "r1",
                    1,
                    0,
                    0,
                    parse(
                        "[{\"type\":\"epoch\",\"epoch\":1},{\"type\":\"epoch\",\"epoch\":2,\"valLoss\":NaN}]",
                        null)))
        .isInstanceOfSatisfying(
            InvalidValueException.class,
            e -> {
              assertThat(e.field()).isEqualTo("events[1].valLoss");
              assertThat(e.getMessage())
                  .isEqualTo("events[1].valLoss: finite required but was NaN");
            });
    assertThatThrownBy(
            () -> PushedEvents.decode(CODEC, "r1", 1, 0, 0, parse("{\"epoch\":1}", null)))
        .isInstanceOfSatisfying(
            JsonInputException.class, e -> assertThat(e.field()).isEqualTo("events[0].type"));
    assertThatThrownBy(() -> parse("{\"type\":\"epoch\"}\nnot json", "application/x-ndjson"))
        .isInstanceOfSatisfying(
            JsonInputException.class, e -> assertThat(e.field()).isEqualTo("events[1]"));
  }

  @Test
  void everyTypeButRunStartedStatusAndWeightsEditedCanBePushed() {
    assertThat(PushedEvents.PUSHABLE)
        .containsExactlyInAnyOrder(
            TrainingEvent.Epoch.TYPE,
            TrainingEvent.Activations.TYPE,
            TrainingEvent.LayerStats.TYPE,
            TrainingEvent.Insight.TYPE,
            TrainingEvent.Batch.TYPE,
            TrainingEvent.RunCompleted.TYPE,
            TrainingEvent.RunFailed.TYPE,
            dev.trainscope.engine.event.DataPoints.TYPE,
            dev.trainscope.engine.event.DecisionBoundary.TYPE);
  }

  @Test
  void aTypeOfTheServersIsRefusedAsSuchAndAnUnknownOneAsNoType() {
    String pushable =
        "[activations, batch, data-points, decision-boundary, epoch, insight, layer-stats, run-completed,"
            + " run-failed]";
    assertThatThrownBy(
            () -> PushedEvents.decode(CODEC, "r1", 1, 0, 0, parse("{\"type\":\"status\"}", null)))
        .isInstanceOfSatisfying(
            JsonInputException.class, e -> assertThat(e.field()).isEqualTo("events[0].type"))
        .hasMessage(
            "events[0].type: \"status\" is written by the server and cannot be pushed; one of "
                + pushable);
    assertThatThrownBy(
            () -> PushedEvents.decode(CODEC, "r1", 1, 0, 0, parse("{\"type\":\"loss\"}", null)))
        .hasMessage("events[0].type: \"loss\" is not an event type; one of " + pushable);
  }
}
