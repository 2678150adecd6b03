package dev.trainscope.server.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricNamesTest {
  @Test
  void theFirstNameInOrderOfPreferenceWins() {
    Map<String, Double> logs = Map.of("acc", 0.5, "accuracy", 0.75);

    assertThat(MetricNames.first(logs, MetricNames.ACCURACY)).isEqualTo(0.75);
    assertThat(MetricNames.first(Map.of("acc", 0.5), MetricNames.ACCURACY)).isEqualTo(0.5);
    assertThat(MetricNames.first(Map.of("lr", 0.01), MetricNames.LEARNING_RATE)).isEqualTo(0.01);
  }

  @Test
  void aMissingOrNonFiniteFigureIsAbsent() {
    assertThat(MetricNames.first(Map.of("f1", 0.5), MetricNames.LOSS)).isNull();
    assertThat(MetricNames.first(Map.of("loss", Double.NaN), MetricNames.LOSS)).isNull();
  }

  @Test
  void everyAliasAndFieldNameCountsAsStandardButOtherMetricsDoNot() {
    assertThat(MetricNames.STANDARD)
        .contains("loss", "acc", "val_acc", "lr", "learning_rate", "valLoss", "learningRate")
        .doesNotContain("f1", "precision");
  }
}
