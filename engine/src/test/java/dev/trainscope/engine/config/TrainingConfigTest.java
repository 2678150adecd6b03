package dev.trainscope.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainscope.engine.check.InvalidValueException;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class TrainingConfigTest {

  static TrainingConfig.Builder base() {
    return TrainingConfig.defaults().toBuilder();
  }

  /** Building must fail on {@code field} with exactly {@code message}. */
  static void rejects(UnaryOperator<TrainingConfig.Builder> change, String field, String message) {
    assertThatThrownBy(() -> change.apply(base()).build())
        .isInstanceOfSatisfying(
            InvalidValueException.class, e -> assertThat(e.field()).isEqualTo(field))
        .hasMessage(message);
  }

  @Test
  void defaultsAreTheReferenceNetwork() {
    TrainingConfig c = TrainingConfig.defaults();
    assertThat(c.dataset()).isEqualTo("iris");
    assertThat(c.layers())
        .containsExactly(
            LayerSpec.of(3, "relu"), LayerSpec.of(3, "sigmoid"), LayerSpec.of(3, "softmax"));
    assertThat(c.loss()).isEqualTo("cross_entropy");
    assertThat(c.optimizer()).isEqualTo(OptimizerConfig.sgd(0.1));
    assertThat(c.initializer()).isEqualTo("he");
    assertThat(c.batchSize()).isEqualTo(16);
    assertThat(c.validationSplit()).isEqualTo(0.2);
    assertThat(c.seed()).isEqualTo(42);
    assertThat(c.epochs()).isEqualTo(200);
    assertThat(c.name()).isEqualTo("iris [3 relu, 3 sigmoid, 3 softmax]");
    assertThat(c.toBuilder().build()).isEqualTo(c);
  }

  @Test
  void theDefaultOutputLayerTakesTheDataSetsClassCount() {
    TrainingConfig xor = TrainingConfig.builder().dataset("xor").build().fittedTo(2);
    assertThat(xor.layers())
        .containsExactly(
            LayerSpec.of(3, "relu"), LayerSpec.of(3, "sigmoid"), LayerSpec.of(2, "softmax"));
    assertThat(xor.name()).isEqualTo("xor [3 relu, 3 sigmoid, 2 softmax]");
    assertThat(TrainingConfig.defaults().fittedTo(3)).isEqualTo(TrainingConfig.defaults());
  }

  @Test
  void layersTheUserChoseAndNamesTheUserGaveAreNotFitted() {
    TrainingConfig own = base().layers(LayerSpec.of(8, "relu"), LayerSpec.of(3, "softmax")).build();
    assertThat(own.fittedTo(2)).isEqualTo(own);
    TrainingConfig named = TrainingConfig.builder().name("mine").build().fittedTo(2);
    assertThat(named.name()).isEqualTo("mine");
    assertThat(named.layers().get(2).units()).isEqualTo(2);
  }

  @Test
  void epochsMustBeBetweenOneAndAMillion() {
    rejects(b -> b.epochs(0), "epochs", "epochs in [1, 1000000] required but was 0");
    rejects(b -> b.epochs(1_000_001), "epochs", "epochs in [1, 1000000] required but was 1000001");
    assertThat(base().epochs(TrainingConfig.MAX_EPOCHS).build().epochs()).isEqualTo(1_000_000);
  }

  @Test
  void atMostSixteenLayers() {
    List<LayerSpec> sixteen = new ArrayList<>(Collections.nCopies(15, LayerSpec.of(4, "relu")));
    sixteen.add(LayerSpec.of(3, "softmax"));
    assertThat(base().layers(sixteen).build().layers()).hasSize(16);
    List<LayerSpec> seventeen = new ArrayList<>(sixteen);
    seventeen.add(0, LayerSpec.of(4, "relu"));
    rejects(b -> b.layers(seventeen), "layers.size", "layers.size in [1, 16] required but was 17");
    rejects(b -> b.layers(List.of()), "layers.size", "layers.size in [1, 16] required but was 0");
    rejects(b -> b.layers((List<LayerSpec>) null), "layers", "layers required but was null");
    rejects(
        b -> b.layers(Arrays.asList(LayerSpec.of(3, "relu"), null)),
        "layers[1]",
        "layers[1] required but was null");
  }

  @Test
  void crossEntropyRequiresASoftmaxOutput() {
    rejects(
        b -> b.layers(LayerSpec.of(3, "relu"), LayerSpec.of(3, "sigmoid")),
        "loss",
        "loss cross_entropy requires a softmax output layer but the last layer's activation was"
            + " sigmoid");
    assertThat(
            base().layers(LayerSpec.of(3, "relu"), LayerSpec.of(3, "sigmoid")).loss("MSE").build())
        .extracting(TrainingConfig::loss)
        .isEqualTo("mse");
  }

  @Test
  void eachInvalidFieldIsNamedWithItsRequirementAndValue() {
    rejects(
        b -> b.loss("hinge"), "loss", "loss one of [cross_entropy, mse] required but was hinge");
    rejects(b -> b.samples(3), "samples", "samples in [4, 100000] required but was 3");
    rejects(b -> b.samples(100_001), "samples", "samples in [4, 100000] required but was 100001");
    rejects(b -> b.noise(-0.5), "noise", "noise in [0, 10] required but was -0.5");
    rejects(b -> b.noise(Double.NaN), "noise", "noise in [0, 10] required but was NaN");
    rejects(b -> b.batchSize(0), "batchSize", "batchSize in [1, 65536] required but was 0");
    rejects(
        b -> b.validationSplit(0.95),
        "validationSplit",
        "validationSplit in [0, 0.9] required but was 0.95");
    rejects(
        b -> b.validationSplit(-0.1),
        "validationSplit",
        "validationSplit in [0, 0.9] required but was -0.1");
    rejects(b -> b.weightDecay(1), "weightDecay", "weightDecay in [0, 1) required but was 1.0");
    rejects(b -> b.traceEvery(0), "traceEvery", "traceEvery in [1, 1000000] required but was 0");
    rejects(
        b -> b.epochDelayMs(60_001),
        "epochDelayMs",
        "epochDelayMs in [0, 60000] required but was 60001");
    rejects(
        b -> b.initializer("zeros"),
        "initializer",
        "initializer one of [auto, he, glorot] required but was zeros");
    rejects(b -> b.optimizer(null), "optimizer", "optimizer required but was null");
    rejects(b -> b.probe(List.of()), "probe.size", "probe.size in [1, 4096] required but was 0");
    rejects(
        b -> b.probe(List.of(1.0, Double.POSITIVE_INFINITY)),
        "probe",
        "probe[1] finite required but was Infinity");
    rejects(
        b -> b.dataset(" "),
        "dataset",
        "dataset non-blank of at most 200 characters required but was  ");
    rejects(
        b -> b.name("x".repeat(201)),
        "name",
        "name of at most 200 characters required but was 201 characters");
  }

  @Test
  void learningRateErrorsComeFromTheOptimizer() {
    rejects(b -> b.learningRate(-1), "learningRate", "learningRate > 0 required but was -1.0");
    assertThat(base().learningRate(0.5).build().optimizer().learningRate()).isEqualTo(0.5);
    assertThat(base().learningRate(0.5).build().optimizer().type()).isEqualTo("sgd");
  }

  @Test
  void namesAreNormalisedToLowerCase() {
    TrainingConfig c = base().loss("Cross_Entropy").initializer("AUTO").build();
    assertThat(c.loss()).isEqualTo("cross_entropy");
    assertThat(c.initializer()).isEqualTo("auto");
  }

  @Test
  void probeIsCopied() {
    List<Double> probe = new ArrayList<>(List.of(1.0, 2.0, 3.0, 4.0));
    TrainingConfig c = base().probe(probe).build();
    probe.set(0, 99.0);
    assertThat(c.probe()).containsExactly(1.0, 2.0, 3.0, 4.0);
  }

  /** docs/config.md's table: field, default and bounds cells, in order. */
  private static List<String[]> documentedFields() throws IOException {
    List<String[]> rows = new ArrayList<>();
    boolean inTable = false;
    for (String line : Files.readAllLines(Path.of("..", "docs", "config.md"))) {
      if (line.startsWith("| Field |")) inTable = true;
      else if (inTable && line.startsWith("|---")) continue;
      else if (inTable && line.startsWith("| ")) {
        String[] cells = line.substring(2, line.length() - 2).split(" \\| ", -1);
        rows.add(new String[] {cells[0].replace("`", ""), cells[1], cells[2]});
      } else if (inTable) break;
    }
    return rows;
  }

  /** A default as the table shows it: JSON-like literals in backticks. */
  private static String shown(String field, Object value) {
    if (field.equals("name")) return "derived";
    if (field.startsWith("layers[]")) return "per layer";
    if (value instanceof String v) return "`\"" + v + "\"`";
    if (value instanceof List<?> layers) {
      return "`"
          + layers.stream()
              .map(l -> ((LayerSpec) l).units() + " " + ((LayerSpec) l).activation())
              .collect(java.util.stream.Collectors.joining(", "))
          + "`";
    }
    return "`" + number(value) + "`";
  }

  private static String number(Object value) {
    if (value instanceof Double d) {
      if (d == Math.rint(d)) return String.valueOf(d.longValue());
      return d.toString().replace(".0E", "e").replace("E", "e");
    }
    return String.valueOf(value);
  }

  @Test
  void docsConfigMdListsEveryFieldInOrderWithItsDefaultAndLimits() throws Exception {
    Map<String, Object> expected = new LinkedHashMap<>();
    TrainingConfig defaults = TrainingConfig.defaults();
    for (RecordComponent c : TrainingConfig.class.getRecordComponents()) {
      Object value = c.getAccessor().invoke(defaults);
      if (c.getName().equals("optimizer")) {
        for (RecordComponent o : OptimizerConfig.class.getRecordComponents()) {
          expected.put("optimizer." + o.getName(), o.getAccessor().invoke(value));
        }
        continue;
      }
      expected.put(c.getName(), value);
      if (c.getName().equals("layers")) {
        for (RecordComponent l : LayerSpec.class.getRecordComponents()) {
          expected.put("layers[]." + l.getName(), null);
        }
      }
    }
    List<String[]> rows = documentedFields();
    assertThat(rows.stream().map(r -> r[0]).toList()).containsExactlyElementsOf(expected.keySet());
    for (String[] row : rows) {
      assertThat(row[1]).as(row[0] + " default").isEqualTo(shown(row[0], expected.get(row[0])));
    }
    Map<String, List<?>> limits =
        Map.ofEntries(
            Map.entry("name", List.of(TrainingConfig.MAX_NAME_LENGTH)),
            Map.entry("samples", List.of(TrainingConfig.MAX_SAMPLES)),
            Map.entry("layers", List.of(TrainingConfig.MAX_LAYERS)),
            Map.entry("layers[].units", List.of(LayerSpec.MAX_UNITS)),
            Map.entry("layers[].activation", dev.trainscope.engine.nn.Activation.NAMES),
            Map.entry("loss", TrainingConfig.LOSSES),
            Map.entry("optimizer.type", OptimizerConfig.TYPES),
            Map.entry("optimizer.learningRate", List.of(OptimizerConfig.MAX_LEARNING_RATE)),
            Map.entry("initializer", TrainingConfig.INITIALIZERS),
            Map.entry("epochs", List.of(TrainingConfig.MAX_EPOCHS)),
            Map.entry("batchSize", List.of(TrainingConfig.MAX_BATCH_SIZE)),
            Map.entry("traceEvery", List.of(TrainingConfig.MAX_EPOCHS)),
            Map.entry("probe", List.of(LayerSpec.MAX_UNITS)),
            Map.entry("epochDelayMs", List.of(TrainingConfig.MAX_EPOCH_DELAY_MS)));
    for (String[] row : rows) {
      for (Object limit : limits.getOrDefault(row[0], List.of())) {
        assertThat(row[2]).as(row[0] + " bounds").contains(number(limit));
      }
    }
  }
}
