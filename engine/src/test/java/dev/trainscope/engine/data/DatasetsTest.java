package dev.trainscope.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainscope.engine.check.InvalidValueException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatasetsTest {

  static int[] classCounts(Dataset d) {
    int[] c = new int[d.classes().size()];
    for (int i = 0; i < d.size(); i++) c[d.label(i)]++;
    return c;
  }

  @Test
  void irisHas150FlowersOfThreeSpecies() {
    Dataset d = Datasets.load("iris", 200, 0.1, 1);
    assertThat(d.size()).isEqualTo(150);
    assertThat(d.featureCount()).isEqualTo(4);
    assertThat(d.classes()).containsExactly("setosa", "versicolor", "virginica");
    assertThat(classCounts(d)).containsExactly(50, 50, 50);
  }

  @Test
  void penguinsAreThe342CompletePalmerPenguins() {
    // Palmer penguins: 344 birds, 2 without measurements (one Adelie, one Gentoo).
    Dataset d = Datasets.load("penguins", 200, 0.1, 1);
    assertThat(d.size()).isEqualTo(342);
    assertThat(d.featureCount()).isEqualTo(4);
    assertThat(d.classes()).containsExactly("Adelie", "Chinstrap", "Gentoo");
    assertThat(classCounts(d)).containsExactly(151, 68, 123);
  }

  @Test
  void bundledSetsIgnoreSeedSamplesAndNoise() {
    Dataset a = Datasets.load("iris", 10, 0, 1);
    Dataset b = Datasets.load("iris", 500, 2, 99);
    for (int i = 0; i < a.size(); i++) assertThat(a.features(i)).isEqualTo(b.features(i));
  }

  @ParameterizedTest
  @ValueSource(strings = {"xor", "circles", "spiral", "blobs"})
  void syntheticSetsHaveTheRequestedSizeAndAreDeterministicBySeed(String name) {
    Dataset a = Datasets.load(name, 90, 0.1, 7);
    Dataset b = Datasets.load(name, 90, 0.1, 7);
    Dataset c = Datasets.load(name, 90, 0.1, 8);
    assertThat(a.size()).isEqualTo(90);
    assertThat(a.featureNames()).containsExactly("x", "y");
    assertThat(a.classes()).hasSize(name.equals("blobs") ? 3 : 2);
    boolean anyDifferent = false;
    for (int i = 0; i < a.size(); i++) {
      assertThat(a.features(i)).isEqualTo(b.features(i));
      assertThat(a.label(i)).isEqualTo(b.label(i));
      anyDifferent |= !java.util.Arrays.equals(a.features(i), c.features(i));
    }
    assertThat(anyDifferent).isTrue();
  }

  @Test
  void circlesSpiralAndBlobsAreBalanced() {
    assertThat(classCounts(Datasets.load("circles", 100, 0.1, 1))).containsExactly(50, 50);
    assertThat(classCounts(Datasets.load("spiral", 100, 0.1, 1))).containsExactly(50, 50);
    assertThat(classCounts(Datasets.load("blobs", 99, 0.1, 1))).containsExactly(33, 33, 33);
  }

  @Test
  void noiselessXorLabelsAreWhetherTheSignsAgree() {
    Dataset d = Datasets.load("xor", 200, 0, 3);
    for (int i = 0; i < d.size(); i++) {
      double[] p = d.features(i);
      assertThat(d.label(i)).isEqualTo(p[0] * p[1] > 0 ? 1 : 0);
      assertThat(Math.abs(p[0])).isBetween(0.05, 1.05);
    }
  }

  @Test
  void noiselessCirclesAreADiscInsideARing() {
    Dataset d = Datasets.load("circles", 200, 0, 3);
    for (int i = 0; i < d.size(); i++) {
      double[] p = d.features(i);
      double r = Math.hypot(p[0], p[1]);
      if (d.label(i) == 0) assertThat(r).isLessThanOrEqualTo(0.5 + 1e-12);
      else assertThat(r).isBetween(0.7 - 1e-12, 1.0 + 1e-12);
    }
  }

  @Test
  void unknownNamesAreRejected() {
    assertThatThrownBy(() -> Datasets.load("mnist", 100, 0, 1))
        .isInstanceOfSatisfying(
            InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("dataset"))
        .hasMessageContaining("mnist");
    assertThat(Datasets.isBuiltIn("spiral")).isTrue();
    assertThat(Datasets.isBuiltIn("mnist")).isFalse();
  }
}
