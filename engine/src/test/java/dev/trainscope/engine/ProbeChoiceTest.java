package dev.trainscope.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainscope.engine.check.InvalidValueException;
import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.engine.event.DataPoints;
import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.engine.event.TrainingEvent.Activations;
import dev.trainscope.engine.event.TrainingEvent.DatasetInfo;
import dev.trainscope.engine.event.TrainingEvent.RunStarted;
import dev.trainscope.engine.event.TrainingEvent.Status;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class ProbeChoiceTest {
  static final TrainingConfig CIRCLES =
      TrainingConfig.defaults().toBuilder().dataset("circles").epochs(3).boundaryGrid(8).build();

  @Test
  void choosingASampleWhilePausedTracesItAtOnceWithItsClass() {
    RunControl control = new RunControl();
    control.pause();
    AtomicReference<DataPoints> points = new AtomicReference<>();
    StepVerifier.create(TestRuns.flux(TestRuns.fixedClock(), CIRCLES, control))
        .expectNextMatches(RunStarted.class::isInstance)
        .consumeNextWith(e -> points.set((DataPoints) e))
        .expectNextMatches(e -> e instanceof Status s && s.state().equals(Status.PAUSED))
        .then(() -> control.chooseProbe(ProbeChoice.sample(ProbeChoice.TRAIN, 5)))
        .assertNext(
            e -> {
              Activations a = (Activations) e;
              DataPoints p = points.get();
              assertThat(a.epoch()).isZero();
              // The trace's input is train sample 5 as the network takes it: standardised.
              double x = a.input().get(0) * p.std().get(0) + p.mean().get(0);
              double y = a.input().get(1) * p.std().get(1) + p.mean().get(1);
              assertThat(x)
                  .isCloseTo(p.train().x().get(5), org.assertj.core.api.Assertions.within(1e-4));
              assertThat(y)
                  .isCloseTo(p.train().y().get(5), org.assertj.core.api.Assertions.within(1e-4));
              assertThat(a.label()).isEqualTo(p.train().label().get(5));
            })
        .expectNoEvent(Duration.ofMillis(200))
        .then(() -> control.chooseProbe(ProbeChoice.input(List.of(0.25, -1.5))))
        .assertNext(
            e -> {
              Activations a = (Activations) e;
              assertThat(a.input()).containsExactly(0.25, -1.5);
              assertThat(a.label()).isNull();
            })
        .then(control::resume)
        .thenConsumeWhile(e -> !e.isTerminal(), e -> assertProbeKept(e))
        .expectNextMatches(TrainingEvent::isTerminal)
        .expectComplete()
        .verify(TestRuns.TIMEOUT);
  }

  private static void assertProbeKept(TrainingEvent e) {
    if (e instanceof Activations a) assertThat(a.input()).containsExactly(0.25, -1.5);
  }

  @Test
  void aChoiceNeedsInputOrSplitAndIndexAndIsCheckedAgainstTheData() {
    assertThatThrownBy(() -> new ProbeChoice(null, null, null))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("input, or split and index, required");
    assertThatThrownBy(() -> ProbeChoice.sample("test", 0))
        .hasMessage("split \"train\" or \"validation\" required but was \"test\"");
    assertThatThrownBy(() -> ProbeChoice.input(java.util.Arrays.asList(1.0, Double.NaN)))
        .hasMessage("input[1] finite required but was NaN");
    DatasetInfo data = new DatasetInfo("c", 10, 2, List.of("x", "y"), List.of("a", "b"), 8, 2);
    assertThatThrownBy(() -> ProbeChoice.input(List.of(1.0)).checkAgainst(data))
        .isInstanceOfSatisfying(
            InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("input"))
        .hasMessage("input of 2 values required but was 1");
    assertThatThrownBy(() -> ProbeChoice.sample(ProbeChoice.VALIDATION, 2).checkAgainst(data))
        .isInstanceOfSatisfying(
            InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("index"))
        .hasMessage("index in [0, 1] required but was 2");
    DatasetInfo noVal = new DatasetInfo("c", 10, 2, List.of("x", "y"), List.of("a", "b"), 10, 0);
    assertThatThrownBy(() -> ProbeChoice.sample(ProbeChoice.VALIDATION, 0).checkAgainst(noVal))
        .hasMessage("the run has no validation samples");
    ProbeChoice.sample(ProbeChoice.TRAIN, 7).checkAgainst(data);
  }
}
