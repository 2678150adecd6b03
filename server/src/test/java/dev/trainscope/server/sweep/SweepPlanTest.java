package dev.trainscope.server.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainscope.engine.check.InvalidValueException;
import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.server.json.EventCodec;
import dev.trainscope.server.json.JsonInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SweepPlanTest {
  private final EventCodec codec = new EventCodec();

  private SweepPlan plan(String json) throws Exception {
    JsonNode tree = codec.mapper().readTree(json);
    return SweepPlan.of(SweepSpec.parse(tree), codec);
  }

  private static List<Double> rates(SweepPlan p) {
    return p.points().stream().map(x -> x.config().optimizer().learningRate()).toList();
  }

  @Test
  void gridIsTheCartesianProductWithTheLastFieldFastest() throws Exception {
    SweepPlan p =
        plan(
            "{\"base\": {\"epochs\": 3}, \"grid\": {\"optimizer.learningRate\": [0.01, 0.1, 0.3],"
                + " \"batchSize\": [8, 16]}}");
    assertThat(rates(p)).containsExactly(0.01, 0.01, 0.1, 0.1, 0.3, 0.3);
    assertThat(p.points().stream().map(x -> x.config().batchSize()))
        .containsExactly(8, 16, 8, 16, 8, 16);
    assertThat(p.points().stream().map(SweepPlan.Point::name))
        .containsExactly(
            "lr=0.01 batch=8",
            "lr=0.01 batch=16",
            "lr=0.1 batch=8",
            "lr=0.1 batch=16",
            "lr=0.3 batch=8",
            "lr=0.3 batch=16");
    assertThat(p.points()).allSatisfy(x -> assertThat(x.config().epochs()).isEqualTo(3));
    assertThat(p.varied()).containsExactly("optimizer.learningRate", "batchSize");
  }

  @Test
  void repeatsTakeSeedsFromTheBaseSeedUpwards() throws Exception {
    SweepPlan p =
        plan(
            "{\"base\": {\"seed\": 7}, \"grid\": {\"optimizer.learningRate\": [0.1, 0.2]},"
                + " \"repeats\": 3}");
    assertThat(p.points().stream().map(x -> x.config().seed()))
        .containsExactly(7L, 8L, 9L, 7L, 8L, 9L);
    assertThat(rates(p)).containsExactly(0.1, 0.1, 0.1, 0.2, 0.2, 0.2);
    assertThat(p.varied()).containsExactly("optimizer.learningRate", "seed");
    assertThat(p.points().get(4).name()).isEqualTo("lr=0.2 seed=8");
  }

  @Test
  void aFieldGivenOneValueDoesNotVaryAndNamesFallBackToTheSweep() throws Exception {
    SweepPlan p = plan("{\"name\": \"solo\", \"grid\": {\"batchSize\": [8]}, \"repeats\": 1}");
    assertThat(p.varied()).isEmpty();
    assertThat(p.points())
        .singleElement()
        .satisfies(x -> assertThat(x.name()).isEqualTo("solo #1"));
  }

  @Test
  void randomSweepIsTheSameForTheSameSeedAndStaysInItsRanges() throws Exception {
    String spec =
        "{\"random\": {\"optimizer.learningRate\": {\"min\": 0.0001, \"max\": 1, \"log\": true},"
            + " \"batchSize\": {\"min\": 4, \"max\": 32}, \"optimizer.type\": [\"sgd\", \"adam\"]},"
            + " \"count\": 200, \"seed\": %d}";
    SweepPlan a = plan(spec.formatted(5));
    SweepPlan b = plan(spec.formatted(5));
    SweepPlan c = plan(spec.formatted(6));
    assertThat(rates(a)).isEqualTo(rates(b)).isNotEqualTo(rates(c));
    assertThat(a.points()).hasSize(200);
    assertThat(rates(a)).allSatisfy(r -> assertThat(r).isBetween(0.0001, 1.0));
    // log-uniform: a quarter of the decades below 1e-3 takes about a quarter of the draws
    long belowMilli = rates(a).stream().filter(r -> r < 0.001).count();
    assertThat(belowMilli).isBetween(25L, 75L);
    assertThat(a.points().stream().map(x -> x.config().batchSize()))
        .allSatisfy(n -> assertThat(n).isBetween(4, 32));
    assertThat(a.points().stream().map(x -> x.config().optimizer().type()).distinct())
        .containsExactlyInAnyOrder("sgd", "adam");
    assertThat(a.varied()).containsExactly("optimizer.learningRate", "batchSize", "optimizer.type");
  }

  @Test
  void aBadValueIsNamedByItsPathAndIndexBeforeAnyRunExists() {
    assertThatThrownBy(() -> plan("{\"grid\": {\"optimizer.learningRate\": [0.1, -1.0]}}"))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("grid.optimizer.learningRate[1]: learningRate > 0 required but was -1.0")
        .extracting(e -> ((InvalidValueException) e).field())
        .isEqualTo("grid.optimizer.learningRate[1]");
    assertThatThrownBy(() -> plan("{\"grid\": {\"batchSize\": [8, \"big\"]}}"))
        .isInstanceOf(RuntimeException.class)
        .hasMessageStartingWith("grid.batchSize[1]: ")
        .extracting(e -> field(e))
        .isEqualTo("grid.batchSize[1]");
    assertThatThrownBy(
            () ->
                plan(
                    "{\"random\": {\"optimizer.learningRate\": {\"min\": -1, \"max\": 1}}, \"count\": 3}"))
        .hasMessageStartingWith("random.optimizer.learningRate.min: ")
        .extracting(e -> field(e))
        .isEqualTo("random.optimizer.learningRate.min");
  }

  @Test
  void aBadBaseIsNamedInsideBase() {
    assertThatThrownBy(() -> plan("{\"base\": {\"epochs\": 0}, \"grid\": {\"batchSize\": [8]}}"))
        .hasMessageStartingWith("base: epochs")
        .extracting(e -> field(e))
        .isEqualTo("base.epochs");
  }

  @Test
  void theSweepsShapeIsCheckedFieldByField() {
    assertThatThrownBy(() -> plan("{\"grid\": {\"optimizer.lr\": [0.1]}}"))
        .isInstanceOf(JsonInputException.class)
        .hasMessageContaining("unknown field path \"optimizer.lr\"")
        .hasMessageContaining("optimizer.learningRate");
    assertThatThrownBy(() -> plan("{\"grid\": {\"batchSize\": []}}"))
        .hasMessageStartingWith("grid.batchSize: a non-empty array");
    assertThatThrownBy(() -> plan("{\"random\": {\"batchSize\": [8]}}"))
        .hasMessage("count required for a random sweep");
    assertThatThrownBy(() -> plan("{\"grid\": {\"batchSize\": [8]}, \"random\": {\"seed\": [1]}}"))
        .hasMessage("exactly one of grid and random required");
    assertThatThrownBy(() -> plan("{\"grid\": {\"batchSize\": [8]}, \"repeat\": 2}"))
        .hasMessageStartingWith("unknown field \"repeat\"");
  }

  @Test
  void atMostAThousandRunsPerSweep() {
    String values = "[" + "1,".repeat(99) + "1]"; // 100 values
    assertThatThrownBy(
            () ->
                plan(
                    "{\"grid\": {\"seed\": "
                        + values
                        + ", \"batchSize\": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}, \"repeats\": 2}"))
        .hasMessage("a sweep of at most 1000 runs required but was 2000");
    assertThatThrownBy(() -> plan("{\"random\": {\"seed\": [1]}, \"count\": 1001}"))
        .hasMessage("count in [1, 1000] required but was 1001");
  }

  @Test
  void namesRoundToFourDigitsAndLayersReadAsShapes() throws Exception {
    SweepPlan p =
        plan(
            "{\"grid\": {\"optimizer.learningRate\": [0.123456],"
                + " \"layers\": [[{\"units\": 8, \"activation\": \"relu\"}, {\"units\": 3, \"activation\": \"softmax\"}],"
                + " [{\"units\": 3, \"activation\": \"softmax\"}]]}}");
    assertThat(p.points().stream().map(SweepPlan.Point::name))
        .containsExactly("layers=[8 relu, 3 softmax]", "layers=[3 softmax]");
    TrainingConfig first = p.points().get(0).config();
    assertThat(first.name()).isEqualTo("layers=[8 relu, 3 softmax]");
    assertThat(first.optimizer().learningRate()).isEqualTo(0.123456);
  }

  private static String field(Throwable e) {
    return e instanceof InvalidValueException v ? v.field() : ((JsonInputException) e).field();
  }
}
