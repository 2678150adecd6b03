package dev.trainscope.engine;

import static dev.trainscope.engine.InsightRulesTest.relu;
import static dev.trainscope.engine.InsightRulesTest.sigmoid;
import static dev.trainscope.engine.TestRuns.collect;
import static dev.trainscope.engine.TestRuns.ofType;
import static org.assertj.core.api.Assertions.assertThat;

import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.engine.event.TrainingEvent.Epoch;
import java.util.List;
import org.junit.jupiter.api.Test;

class EpochObservationTest {

  @Test
  void everyEngineEpochCarriesAnObservation() {
    TrainingConfig config = TrainingConfig.defaults().toBuilder().epochs(12).build();
    List<Epoch> epochs = ofType(collect(config), Epoch.class);
    assertThat(epochs).hasSize(12);
    assertThat(epochs).allSatisfy(e -> assertThat(e.observation()).isNotBlank());
    assertThat(epochs.get(0).observation()).startsWith("First epoch, loss ");
  }

  @Test
  void theFirstEpochComparesTheLossWithUniformGuessing() {
    EpochObservation o = new EpochObservation(2);
    assertThat(o.afterEpoch(1, 0.5, 0.75, null, null, false))
        .isEqualTo(
            "First epoch, loss 0.500 against 0.693 for guessing among 2 classes:"
                + " this is where learning starts.");
  }

  @Test
  void aFallingLossSaysTheNetworkIsLearning() {
    EpochObservation o = new EpochObservation(3);
    o.afterEpoch(1, 1.0, 0.5, null, null, false);
    assertThat(o.afterEpoch(2, 0.9, 0.6, null, null, false))
        .isEqualTo(
            "Loss fell 10.0% to 0.900, accuracy up 10.0 points to 60.0%: the network is learning.");
  }

  @Test
  void aRisingLossPointsAtTheLearningRate() {
    EpochObservation o = new EpochObservation(3);
    o.afterEpoch(1, 0.5, 0.8, null, null, false);
    assertThat(o.afterEpoch(2, 0.6, 0.7, null, null, false))
        .isEqualTo(
            "Loss rose 20.0% to 0.600, accuracy down 10.0 points to 70.0%: the steps overshoot;"
                + " a lower learning rate may help.");
  }

  @Test
  void aFlatLossSaysLearningSlowedOrConverged() {
    EpochObservation o = new EpochObservation(3);
    o.afterEpoch(1, 0.5, 0.8, null, null, false);
    assertThat(o.afterEpoch(2, 0.499, 0.8, null, null, false))
        .isEqualTo("Loss flat at 0.499, accuracy holds at 80.0%: learning has slowed.");
    assertThat(o.afterEpoch(3, 0.499, 1.0, null, null, true)).endsWith(": the run has converged.");
  }

  @Test
  void aValidationGapSaysTheNetworkFitsTrainingBetterThanNewData() {
    EpochObservation o = new EpochObservation(3);
    o.afterEpoch(1, 0.5, 0.8, 0.5, null, false);
    assertThat(o.afterEpoch(2, 0.4, 0.85, 0.6, null, false))
        .endsWith(
            ": validation loss 0.600 is 50% above training, so it fits the training set better"
                + " than new data.");
  }

  @Test
  void deadUnitsComeFirstAndStandUntilTheNextTrace() {
    EpochObservation o = new EpochObservation(3);
    o.afterEpoch(1, 0.5, 0.8, null, List.of(relu(0, 4, 2)), false);
    // Not traced: the last trace's dead units still stand.
    assertThat(o.afterEpoch(2, 0.4, 0.85, 0.9, null, false))
        .endsWith(": 2 of layer 1's 4 units are dead and pass no gradient.");
    assertThat(o.afterEpoch(3, 0.3, 0.9, null, List.of(relu(0, 4, 0)), false))
        .endsWith(": the network is learning.");
  }

  @Test
  void saturatedSigmoidsSayGradientsVanish() {
    EpochObservation o = new EpochObservation(3);
    o.afterEpoch(1, 0.5, 0.8, null, null, false);
    assertThat(o.afterEpoch(2, 0.4, 0.85, null, List.of(sigmoid(1, 0.75)), false))
        .endsWith(": 75% of layer 2's sigmoid outputs are saturated, so its gradients vanish.");
  }
}
