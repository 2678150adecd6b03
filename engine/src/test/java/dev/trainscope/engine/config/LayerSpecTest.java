package dev.trainscope.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainscope.engine.check.InvalidValueException;
import org.junit.jupiter.api.Test;

class LayerSpecTest {

  @Test
  void unitsMustBeBetweenOneAnd4096() {
    assertThat(LayerSpec.of(4096, "relu").units()).isEqualTo(LayerSpec.MAX_UNITS);
    assertThat(LayerSpec.of(1, "relu").units()).isEqualTo(1);
    for (int bad : new int[] {0, -3, 4097}) {
      assertThatThrownBy(() -> LayerSpec.of(bad, "relu"))
          .isInstanceOfSatisfying(
              InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("units"))
          .hasMessage("units in [1, 4096] required but was " + bad);
    }
  }

  @Test
  void activationMustBeKnown() {
    assertThatThrownBy(() -> LayerSpec.of(3, "swish"))
        .isInstanceOfSatisfying(
            InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("activation"))
        .hasMessage(
            "activation one of [relu, leaky_relu, sigmoid, tanh, linear, softmax] required but"
                + " was swish");
    assertThatThrownBy(() -> LayerSpec.of(3, null))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageEndingWith("required but was null");
  }

  @Test
  void activationNameIsNormalised() {
    assertThat(LayerSpec.of(3, "ReLU")).isEqualTo(LayerSpec.of(3, "relu"));
    assertThat(LayerSpec.of(3, "TANH").activation()).isEqualTo("tanh");
  }
}
