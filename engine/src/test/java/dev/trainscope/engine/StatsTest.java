package dev.trainscope.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.trainscope.engine.event.TrainingEvent.Summary;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StatsTest {

  static long total(Summary s) {
    return s.histogram().stream().mapToLong(Integer::longValue).sum();
  }

  @Test
  void summaryOfASmallArray() {
    Summary s = Stats.summarize(new double[] {1, 2, 3, 4});
    assertThat(s.count()).isEqualTo(4);
    assertThat(s.mean()).isEqualTo(2.5);
    // Population std: sqrt((2.25 + 0.25 + 0.25 + 2.25) / 4)
    assertThat(s.std()).isCloseTo(Math.sqrt(1.25), within(1e-15));
    assertThat(s.min()).isEqualTo(1);
    assertThat(s.max()).isEqualTo(4);
    assertThat(s.histogram()).hasSize(Stats.BINS);
    assertThat(total(s)).isEqualTo(4);
    assertThat(s.histogram().get(0)).isEqualTo(1);
    assertThat(s.histogram().get(Stats.BINS - 1)).isEqualTo(1);
  }

  @Test
  void histogramCountsSumToTheCountAndMatchTheBins() {
    Random r = new Random(4);
    double[] v = new double[10_000];
    for (int i = 0; i < v.length; i++) v[i] = r.nextGaussian() * 3 + 1;
    Summary s = Stats.summarize(v);
    assertThat(total(s)).isEqualTo(v.length);
    double sum = 0, min = Double.MAX_VALUE, max = -Double.MAX_VALUE;
    for (double x : v) {
      sum += x;
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    double mean = sum / v.length, sq = 0;
    for (double x : v) sq += (x - mean) * (x - mean);
    assertThat(s.mean()).isCloseTo(mean, within(1e-9));
    assertThat(s.std()).isCloseTo(Math.sqrt(sq / v.length), within(1e-9));
    assertThat(s.min()).isEqualTo(min);
    assertThat(s.max()).isEqualTo(max);
    // Independently bin a few of them: bin b holds [min + b w, min + (b + 1) w).
    double w = (max - min) / Stats.BINS;
    int[] expected = new int[Stats.BINS];
    for (double x : v) expected[Math.min(Stats.BINS - 1, (int) Math.floor((x - min) / w))]++;
    for (int b = 0; b < Stats.BINS; b++) assertThat(s.histogram().get(b)).isEqualTo(expected[b]);
  }

  @Test
  void constantValuesFallInOneBin() {
    Summary s = Stats.summarize(new double[] {7, 7, 7});
    assertThat(s.std()).isZero();
    assertThat(s.min()).isEqualTo(7);
    assertThat(s.max()).isEqualTo(7);
    assertThat(total(s)).isEqualTo(3);
    assertThat(s.histogram().get(0)).isEqualTo(3);
  }

  @Test
  void rangeSummarisesOnlyThatSlice() {
    Summary s = Stats.summarize(new double[] {100, 1, 3, -100}, 1, 3);
    assertThat(s.count()).isEqualTo(2);
    assertThat(s.mean()).isEqualTo(2);
    assertThat(s.min()).isEqualTo(1);
    assertThat(s.max()).isEqualTo(3);
    assertThat(total(s)).isEqualTo(2);
  }

  @Test
  void emptyInputGivesAnEmptySummary() {
    Summary s = Stats.summarize(new double[0]);
    assertThat(s.count()).isZero();
    assertThat(s.histogram()).isEmpty();
  }

  @Test
  void normIsTheEuclideanLength() {
    assertThat(Stats.norm(new float[] {3, 4})).isEqualTo(5);
  }
}
