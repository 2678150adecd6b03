package dev.trainscope.engine;

import static dev.trainscope.engine.TestRuns.collect;
import static dev.trainscope.engine.TestRuns.ofType;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.engine.event.DecisionBoundary;
import dev.trainscope.engine.nn.Activation;
import dev.trainscope.engine.nn.DenseLayer;
import dev.trainscope.engine.nn.Loss;
import dev.trainscope.engine.nn.Network;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoundaryMapTest {

  /** h = relu(x' - y'), out = softmax(-h, h), with x' = (x - 1) / 2 and y' = y standardised. */
  static Network handSet() {
    DenseLayer hidden = new DenseLayer(2, 1, Activation.RELU);
    hidden.weights.value[0] = 1; // input 0 -> unit 0
    hidden.weights.value[1] = -1; // input 1 -> unit 0
    DenseLayer out = new DenseLayer(1, 2, Activation.SOFTMAX);
    out.weights.value[0] = -1;
    out.weights.value[1] = 1;
    return new Network(List.of(hidden, out), Loss.CROSS_ENTROPY);
  }

  static int[] bytes(String base64) {
    byte[] b = Base64.getDecoder().decode(base64);
    int[] out = new int[b.length];
    for (int i = 0; i < b.length; i++) out[i] = b[i] & 0xff;
    return out;
  }

  @Test
  void theGridOfHandSetWeightsIsTheHandComputedOne() {
    // Grid 2 over x in [-1, 3], y in [-1, 1]: centres x = 0, 2 and y = 0.5 (top row), -0.5.
    // Standardised (mean 1, 0; std 2, 1): x' = -0.5, 0.5. h = relu(x' - y'):
    // row 0: relu(-1) = 0, relu(0) = 0; row 1: relu(0) = 0, relu(1) = 1.
    BoundaryMap map =
        new BoundaryMap(
            handSet(), 2, new double[] {-1, 3, -1, 1}, new double[] {1, 0}, new double[] {2, 1});

    DecisionBoundary e = map.compute(3).withHeader("r", 0, 0);

    assertThat(e.grid()).isEqualTo(2);
    assertThat(List.of(e.xMin(), e.xMax(), e.yMin(), e.yMax()))
        .containsExactly(-1.0, 3.0, -1.0, 1.0);
    // h = 0: softmax(0, 0) ties, class 0 with p 0.5 -> round(127.5) = 128.
    // h = 1: softmax(-1, 1), class 1 with p 1 / (1 + e^-2) = 0.8808 -> round(224.6) = 225.
    assertThat(bytes(e.predicted())).containsExactly(0, 0, 0, 1);
    assertThat(bytes(e.confidence())).containsExactly(128, 128, 128, 225);
    assertThat(e.units()).hasSize(1);
    DecisionBoundary.UnitMap unit = e.units().get(0);
    assertThat(List.of(unit.layer(), unit.unit())).containsExactly(0, 0);
    assertThat(List.of(unit.min(), unit.max())).containsExactly(0.0, 1.0);
    assertThat(bytes(unit.values())).containsExactly(0, 0, 0, 255);
  }

  @Test
  void twoInputRunsMapTheBoundaryAtTracedEpochsOnly() {
    TrainingConfig config =
        TrainingConfig.defaults().toBuilder()
            .dataset("circles")
            .epochs(5)
            .traceEvery(2)
            .boundaryGrid(16)
            .build();

    List<DecisionBoundary> maps = ofType(collect(config), DecisionBoundary.class);

    assertThat(maps).extracting(DecisionBoundary::epoch).containsExactly(1, 2, 4, 5);
    assertThat(maps).allSatisfy(m -> assertThat(bytes(m.predicted())).hasSize(16 * 16));
    // The default network's hidden layers have 3 units each: 6 unit maps.
    assertThat(maps.get(0).units()).hasSize(6);
    assertThat(maps.get(0).xMin()).isLessThan(maps.get(0).xMax());
  }

  @Test
  void runsWithMoreThanTwoInputsMapNothing() {
    TrainingConfig config = TrainingConfig.defaults().toBuilder().epochs(3).build(); // iris
    assertThat(ofType(collect(config), DecisionBoundary.class)).isEmpty();
  }
}
