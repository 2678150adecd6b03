package dev.trainscope.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AsciiChartTest {

  private static int starRow(List<String> lines, int column) {
    for (int r = 0; r < lines.size() - 1; r++) {
      String plot = lines.get(r).substring(11);
      if (column < plot.length() && plot.charAt(column) == '*') return r;
    }
    return -1;
  }

  @Test
  void decreasingSeriesFallsFromTopLeftToBottomRight() {
    List<String> lines = AsciiChart.render(List.of(4.0, 3.0, 2.0, 1.0), 60, 4);
    assertThat(lines).hasSize(5);
    assertThat(starRow(lines, 0)).isZero();
    assertThat(starRow(lines, 3)).isEqualTo(3);
    assertThat(lines.get(0)).startsWith("   4.0000 |");
    assertThat(lines.get(3)).startsWith("   1.0000 |");
  }

  @Test
  void longSeriesIsAveragedIntoTheWidth() {
    List<Double> values =
        java.util.stream.IntStream.range(0, 1000).mapToObj(i -> 1000.0 - i).toList();
    List<String> lines = AsciiChart.render(values, 50, 10);
    int stars = lines.stream().mapToInt(l -> (int) l.chars().filter(c -> c == '*').count()).sum();
    assertThat(stars).isEqualTo(50);
    assertThat(lines.get(lines.size() - 1)).endsWith("-".repeat(50));
  }

  @Test
  void flatSeriesDrawsOneMiddleRow() {
    List<String> lines = AsciiChart.render(List.of(0.5, 0.5, 0.5), 10, 5);
    assertThat(starRow(lines, 0)).isEqualTo(2);
    assertThat(starRow(lines, 2)).isEqualTo(2);
  }

  @Test
  void rejectsDegenerateSize() {
    assertThatThrownBy(() -> AsciiChart.render(List.of(1.0), 0, 5))
        .hasMessageContaining("width >= 1 and height >= 2 required but was 0 x 5");
  }
}
