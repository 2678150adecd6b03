package dev.trainscope.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.trainscope.engine.check.InvalidValueException;
import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.engine.event.DataPoints;
import dev.trainscope.engine.event.DecisionBoundary;
import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.engine.event.TrainingEvent.Activations;
import dev.trainscope.engine.event.TrainingEvent.LayerTrace;
import dev.trainscope.engine.event.TrainingEvent.ModelInfo;
import dev.trainscope.engine.event.TrainingEvent.RunStarted;
import dev.trainscope.engine.event.TrainingEvent.Status;
import dev.trainscope.engine.event.WeightsEdited;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class WeightEditTest {
  static final TrainingConfig CIRCLES =
      TrainingConfig.defaults().toBuilder().dataset("circles").epochs(3).boundaryGrid(8).build();

  @Test
  void anEditWhilePausedIsRecordedAndTheNextTraceShowsItExactly() {
    RunControl control = new RunControl();
    control.pause();
    WeightEdit edit = new WeightEdit(0, 1, 0, false, 2.5); // input 0 -> unit 1 of layer 0
    StepVerifier.create(TestRuns.flux(TestRuns.fixedClock(), CIRCLES, control))
        .expectNextMatches(RunStarted.class::isInstance)
        .expectNextMatches(DataPoints.class::isInstance)
        .expectNextMatches(e -> e instanceof Status s && s.state().equals(Status.PAUSED))
        .then(() -> control.editWeight(edit))
        .assertNext(
            e -> {
              WeightsEdited w = (WeightsEdited) e;
              assertThat(List.of(w.epoch(), w.layer(), w.unit(), w.input()))
                  .containsExactly(0, 0, 1, 0);
              assertThat(w.bias()).isFalse();
              assertThat(w.newValue()).isEqualTo(2.5);
              assertThat(w.oldValue()).isNotEqualTo(2.5);
            })
        .assertNext(
            e -> {
              Activations a = (Activations) e;
              LayerTrace first = a.layers().get(0);
              // weights are [unit][input]: the edited one reads back, and z1 = x . W[1] + b1.
              List<Double> w1 = first.weights().get(1);
              assertThat(w1.get(0)).isEqualTo(2.5);
              double z1 = a.input().get(0) * 2.5 + a.input().get(1) * w1.get(1);
              // The biases start at zero (He initialisation draws only the weights).
              assertThat(first.linear().get(1)).isCloseTo(z1, within(1e-5));
              assertThat(a.epoch()).isZero();
            })
        .expectNextMatches(DecisionBoundary.class::isInstance)
        .expectNoEvent(Duration.ofMillis(200))
        .then(control::stop)
        .thenConsumeWhile(e -> !e.isTerminal())
        .expectNextMatches(TrainingEvent::isTerminal)
        .expectComplete()
        .verify(TestRuns.TIMEOUT);
  }

  @Test
  void indicesOutOfRangeAreNamed() {
    ModelInfo model =
        new ModelInfo(
            2,
            List.of(
                new TrainingEvent.LayerInfo(0, 2, 3, "relu", 9),
                new TrainingEvent.LayerInfo(1, 3, 2, "softmax", 8)),
            17,
            "cross_entropy");
    assertThatThrownBy(() -> new WeightEdit(2, 0, null, true, 1).checkAgainst(model))
        .isInstanceOfSatisfying(
            InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("layer"))
        .hasMessage("layer in [0, 1] required but was 2");
    assertThatThrownBy(() -> new WeightEdit(1, 2, null, true, 1).checkAgainst(model))
        .hasMessage("unit in [0, 1] required but was 2");
    assertThatThrownBy(() -> new WeightEdit(1, 0, 3, false, 1).checkAgainst(model))
        .hasMessage("input in [0, 2] required but was 3");
    assertThatThrownBy(() -> new WeightEdit(0, 0, null, true, Double.NaN))
        .hasMessage("value finite required but was NaN");
  }
}
