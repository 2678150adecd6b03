package dev.trainscope.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainscope.engine.event.DecisionBoundary;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoundaryTextTest {

  @Test
  void eachClassHasItsCharacterAndEveryOtherGridRowIsATextRow() {
    // Grid 8: class 1 where col >= row (upper right), else class 0.
    byte[] predicted = new byte[64];
    for (int row = 0; row < 8; row++) {
      for (int col = 0; col < 8; col++) predicted[row * 8 + col] = (byte) (col >= row ? 1 : 0);
    }
    String b64 = Base64.getEncoder().encodeToString(predicted);
    DecisionBoundary map = new DecisionBoundary("r", 0, 0, 7, 8, -1, 1, -2, 2, b64, b64, List.of());

    assertThat(BoundaryText.render(map, List.of("inner", "outer")))
        .containsExactly(
            "  xxxxxxxx",
            "  ooxxxxxx",
            "  ooooxxxx",
            "  ooooooxx",
            "  o = inner, x = outer",
            "  x from -1.00 to 1.00, y from -2.00 (bottom) to 2.00 (top), epoch 7");
  }
}
