package dev.trainscope.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.server.json.EventCodec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainCommandTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private List<Path> eventLogs() throws IOException {
    try (Stream<Path> files = Files.walk(dir.resolve("runs"))) {
      return files.filter(p -> p.getFileName().toString().equals("events.ndjson")).toList();
    }
  }

  @Test
  void runWritesWellFormedNdjsonLogAndPrintsTheTable() throws IOException {
    int code = run("train", "--epochs", "5", "--data-dir", dir.toString(), "--no-progress");

    assertThat(code).as(err.toString()).isZero();
    List<Path> logs = eventLogs();
    assertThat(logs).hasSize(1);
    assertThat(logs.get(0).resolveSibling("run.json")).exists();
    EventCodec codec = new EventCodec();
    List<TrainingEvent> events =
        Files.readAllLines(logs.get(0)).stream().map(codec::decode).toList();
    assertThat(events.get(0)).isInstanceOf(TrainingEvent.RunStarted.class);
    assertThat(events.get(events.size() - 1)).isInstanceOf(TrainingEvent.RunCompleted.class);
    for (int i = 0; i < events.size(); i++) assertThat(events.get(i).seq()).isEqualTo(i);
    assertThat(events).filteredOn(e -> e instanceof TrainingEvent.Epoch).hasSize(5);
    assertThat(events.get(0).runId()).isEqualTo(logs.get(0).getParent().getFileName().toString());

    String printed = out.toString();
    assertThat(printed).contains(ConsoleReporter.HEADER.strip());
    for (int epoch = 1; epoch <= 5; epoch++) {
      assertThat(printed).containsPattern("(?m)^\\s+" + epoch + "\\s+\\d\\.\\d{4}");
    }
    assertThat(printed).contains("Completed after 5 epochs").contains("Training loss by epoch");
    assertThat(printed).contains("Event log: " + logs.get(0));
  }

  @Test
  void flagsOverrideTheConfigFile() throws IOException {
    Path config = dir.resolve("run.json");
    Files.writeString(
        config,
        "{\"epochs\": 50, \"dataset\": \"xor\", \"layers\": [{\"units\": 4, \"activation\": \"tanh\"}, {\"units\": 2, \"activation\": \"softmax\"}]}");

    int code =
        run("train", "--config", config.toString(), "--epochs", "2", "--data-dir", dir.toString());

    assertThat(code).as(err.toString()).isZero();
    EventCodec codec = new EventCodec();
    var started =
        (TrainingEvent.RunStarted) codec.decode(Files.readAllLines(eventLogs().get(0)).get(0));
    assertThat(started.config().epochs()).isEqualTo(2);
    assertThat(started.config().dataset()).isEqualTo("xor");
    assertThat(started.model().layers())
        .extracting(TrainingEvent.LayerInfo::activation)
        .containsExactly("tanh", "softmax");
  }

  @Test
  void csvFileIsTrainedWithItsLabelColumn() throws IOException {
    Path csv = dir.resolve("points.csv");
    StringBuilder sb = new StringBuilder("kind,a,b\n");
    for (int i = 0; i < 40; i++)
      sb.append(i % 2 == 0 ? "left," : "right,")
          .append(i % 2 == 0 ? -1 - i * 0.01 : 1 + i * 0.01)
          .append(',')
          .append(i * 0.1)
          .append('\n');
    Files.writeString(csv, sb);

    int code =
        run(
            "train",
            "--csv",
            csv.toString(),
            "--label-column",
            "kind",
            "--layers",
            "4:relu,2:softmax",
            "--epochs",
            "3",
            "--data-dir",
            dir.toString());

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("classes [left, right]");
  }

  @Test
  void badFlagValueExitsNonZeroWithOneLineNamingIt() {
    int code = run("train", "--epochs", "lots", "--data-dir", dir.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--epochs").contains("lots").doesNotContain("Exception");
  }

  @Test
  void invalidConfigValueNamesFieldRequirementAndValue() {
    int code = run("train", "--epochs", "0", "--data-dir", dir.toString());

    assertThat(code).isEqualTo(TrainCommand.BAD_INPUT);
    assertThat(err.toString().strip())
        .isEqualTo("trainscope train: epochs in [1, 1000000] required but was 0");
  }

  @Test
  void aTwoFeatureRunEndsWithATextMapOfItsBoundaryAndOthersDoNot() {
    int code = run("train", "--dataset", "circles", "--epochs", "3", "--data-dir", dir.toString());
    assertThat(code).as(err.toString()).isZero();
    String printed = out.toString();
    assertThat(printed).contains("Decision boundary (what the network predicts over the plane)");
    // 48 grid rows, every second one printed, 48 characters each, one per class.
    assertThat(printed.lines().filter(l -> l.matches("  [ox]{48}"))).hasSize(24);
    assertThat(printed).contains("  o = 0, x = 1").contains("epoch 3");

    out.getBuffer().setLength(0);
    assertThat(run("train", "--epochs", "2", "--data-dir", dir.toString())).isZero();
    assertThat(out.toString()).doesNotContain("Decision boundary");
  }

  @Test
  void twoClassDataSetsTrainWithTheDefaultLayers() throws IOException {
    for (String dataset : List.of("xor", "circles", "spiral")) {
      int code = run("train", "--dataset", dataset, "--epochs", "2", "--data-dir", dir.toString());
      assertThat(code).as(dataset + ": " + err).isZero();
    }
    EventCodec codec = new EventCodec();
    for (Path log : eventLogs()) {
      var started = (TrainingEvent.RunStarted) codec.decode(Files.readAllLines(log).get(0));
      assertThat(started.config().layers().get(2).units()).isEqualTo(2);
      assertThat(Files.readString(log.resolveSibling("run.json"))).contains("2 softmax");
    }
  }

  @Test
  void anOutputLayerTheUserSetMustMatchTheClasses() {
    int code =
        run(
            "train",
            "--dataset",
            "xor",
            "--layers",
            "8:relu,3:softmax",
            "--data-dir",
            dir.toString());

    assertThat(code).isEqualTo(TrainCommand.BAD_INPUT);
    assertThat(err.toString()).contains("layers[1].units").contains("(2)").contains("was 3");
  }

  @Test
  void unreadableCsvExitsNonZeroNamingLineAndColumn() throws IOException {
    Path csv = dir.resolve("bad.csv");
    Files.writeString(csv, "a,b,label\n1,2,x\n3,oops,y\n");

    int code =
        run(
            "train",
            "--csv",
            csv.toString(),
            "--layers",
            "2:softmax",
            "--data-dir",
            dir.toString());

    assertThat(code).isEqualTo(TrainCommand.BAD_INPUT);
    assertThat(err.toString()).contains("line 3").contains("column b").contains("oops");
  }

  @Test
  void missingFilesAreNamed() {
    assertThat(run("train", "--csv", dir.resolve("nope.csv").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("CSV file not found").contains("nope.csv");
    assertThat(run("train", "--config", dir.resolve("nope.json").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("config file not found").contains("nope.json");
  }

  @Test
  void divergingRunExitsWithFailureAndSaysWhy() throws IOException {
    int code =
        run(
            "train",
            "--dataset",
            "blobs",
            "--layers",
            "16:linear,16:linear,3:softmax",
            "--learning-rate",
            "900",
            "--epochs",
            "50",
            "--data-dir",
            dir.toString());

    assertThat(code).isEqualTo(TrainCommand.FAILED);
    assertThat(out.toString()).contains("Failed at epoch").contains("learning rate");
    List<String> lines = Files.readAllLines(eventLogs().get(0));
    assertThat(lines.get(lines.size() - 1)).contains("\"type\":\"run-failed\"");
  }

  @Test
  void aDataDirThatIsAFileIsRefusedBeforeTraining() throws IOException {
    Path file = Files.writeString(dir.resolve("passwd"), "x");

    assertThat(run("train", "--epochs", "1", "--data-dir", file.toString())).isEqualTo(2);
    assertThat(err.toString().strip())
        .isEqualTo("trainscope train: --data-dir " + file + " is not a directory");
    assertThat(out.toString()).isEmpty();
  }

  /** 60 rows of {@code a,b,<last>}: the last column's value comes from {@code last}. */
  private Path csv(String name, String header, java.util.function.IntFunction<String> last)
      throws IOException {
    StringBuilder sb = new StringBuilder(header + "\n");
    for (int i = 0; i < 60; i++) {
      sb.append(i % 2 == 0 ? -1 - i * 0.01 : 1 + i * 0.01)
          .append(',')
          .append(i * 0.1)
          .append(',')
          .append(last.apply(i))
          .append('\n');
    }
    return Files.writeString(dir.resolve(name), sb);
  }

  @Test
  void aTruncatedConfigFileIsOneLineNamingTheFileLineAndColumn() throws IOException {
    Path config = Files.writeString(dir.resolve("cut.json"), "{\"epochs\": 5, \"data");

    assertThat(run("train", "--config", config.toString(), "--data-dir", dir.toString()))
        .isEqualTo(2);
    assertThat(err.toString().lines()).hasSize(1);
    assertThat(err.toString().strip())
        .startsWith("trainscope train: --config " + config + ": malformed JSON at line 1, column ")
        .doesNotContain("Exception")
        .doesNotContain("REDACTED");
  }

  @Test
  void aDirectoryGivenAsTheCsvOrTheConfigIsNamed() {
    assertThat(run("train", "--csv", dir.toString(), "--data-dir", dir.toString())).isEqualTo(2);
    assertThat(err.toString().strip())
        .isEqualTo("trainscope train: --csv " + dir + " is a directory, not a file");
    err.getBuffer().setLength(0);
    assertThat(run("train", "--config", dir.toString(), "--data-dir", dir.toString())).isEqualTo(2);
    assertThat(err.toString().strip())
        .isEqualTo("trainscope train: --config " + dir + " is a directory, not a file");
  }

  @Test
  void aCsvWithoutALabelColumnIsRefusedNamingTheColumnItWouldHaveTaken() throws IOException {
    Path csv = csv("nolabel.csv", "a,b,c", i -> String.valueOf(i * 0.37));

    assertThat(run("train", "--csv", csv.toString(), "--data-dir", dir.toString())).isEqualTo(2);
    assertThat(err.toString().strip())
        .isEqualTo(
            "trainscope train: --csv "
                + csv
                + ": the last column \"c\" has 60 different numbers, not class labels;"
                + " name the label column with --label-column (columns: a, b, c)");
    assertThat(eventLogsIfAny()).isEmpty();
  }

  @Test
  void aLastColumnOfFewIntegerClassesIsTheLabel() throws IOException {
    Path csv = csv("ints.csv", "a,b,label", i -> String.valueOf(i % 2));

    assertThat(run("train", "--csv", csv.toString(), "--epochs", "2", "--data-dir", dir.toString()))
        .as(err.toString())
        .isZero();
    assertThat(out.toString()).contains("classes [0, 1]");
  }

  @Test
  void csvTogetherWithDatasetIsRefusedAsConflicting() throws IOException {
    Path csv = csv("ok.csv", "a,b,kind", i -> i % 2 == 0 ? "x" : "y");

    int code =
        run("train", "--csv", csv.toString(), "--dataset", "iris", "--data-dir", dir.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString().strip())
        .isEqualTo(
            "trainscope train: --csv and --dataset conflict: the data comes from one of them");
    err.getBuffer().setLength(0);
    assertThat(run("train", "--label-column", "kind", "--data-dir", dir.toString())).isEqualTo(2);
    assertThat(err.toString().strip()).isEqualTo("trainscope train: --label-column requires --csv");
    assertThat(eventLogsIfAny()).isEmpty();
  }

  private List<Path> eventLogsIfAny() throws IOException {
    return Files.exists(dir.resolve("runs")) ? eventLogs() : List.of();
  }

  @Test
  void aSigtermDuringTrainingEndsTheRunAsStoppedAndSaysSo() throws Exception {
    // A child JVM: Process.destroy sends SIGTERM, which runs shutdown hooks as Ctrl-C does.
    Path stdout = dir.resolve("stdout.txt");
    Path stderr = dir.resolve("stderr.txt");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "train",
                "--epochs",
                "1000000",
                "--no-progress",
                "--data-dir",
                dir.toString())
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
    try {
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
      Path log = null;
      while (log == null || !hasAnEpoch(log)) {
        assertThat(System.nanoTime()).as("an epoch logged within 30 s").isLessThan(deadline);
        assertThat(child.isAlive()).as("child alive; stderr: %s", stderr).isTrue();
        Thread.sleep(20); // polling the child's file, bounded by the deadline
        log =
            Files.exists(dir.resolve("runs"))
                ? eventLogs().stream().findFirst().orElse(null)
                : null;
      }
      child.destroy();
      assertThat(child.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

      assertThat(Files.readString(log.resolveSibling("run.json")))
          .containsPattern("\"state\"\\s*:\\s*\"stopped\"");
      List<String> lines = Files.readAllLines(log);
      assertThat(lines.get(lines.size() - 1))
          .contains("\"type\":\"run-completed\"")
          .contains("\"stopped\":true");
      assertThat(Files.readString(stdout)).contains("Stopped after");
      assertThat(Files.readString(stderr))
          .contains("trainscope train: interrupted: the run was stopped and its log closed");
    } finally {
      child.destroyForcibly();
    }
  }

  private static boolean hasAnEpoch(Path log) throws IOException {
    try (Stream<String> lines = Files.lines(log)) {
      return lines.limit(3).anyMatch(l -> l.contains("\"type\":\"epoch\""));
    }
  }

  @Test
  void helpDescribesEveryFlagAndShowsTheDefaultsOfTheCode() {
    TrainingConfig d = TrainingConfig.defaults();
    Map<String, String> defaults =
        Map.ofEntries(
            Map.entry("--dataset", d.dataset()),
            Map.entry(
                "--layers",
                d.layers().stream()
                    .map(l -> l.units() + ":" + l.activation())
                    .collect(Collectors.joining(","))),
            Map.entry("--epochs", String.valueOf(d.epochs())),
            Map.entry("--seed", String.valueOf(d.seed())),
            Map.entry("--optimizer", d.optimizer().type()),
            Map.entry("--learning-rate", String.valueOf(d.optimizer().learningRate())),
            Map.entry("--momentum", String.valueOf(d.optimizer().momentum())),
            Map.entry("--batch-size", String.valueOf(d.batchSize())),
            Map.entry("--validation-split", String.valueOf(d.validationSplit())),
            Map.entry("--weight-decay", String.valueOf(d.weightDecay())),
            Map.entry("--loss", d.loss()),
            Map.entry("--initializer", d.initializer()),
            Map.entry("--samples", String.valueOf(d.samples())),
            Map.entry("--noise", String.valueOf(d.noise())),
            Map.entry("--trace-every", String.valueOf(d.traceEvery())),
            Map.entry("--batch-events", d.batchEvents() ? "on" : "off"),
            Map.entry("--data-dir", "trainscope-data"));
    CommandLine train = Main.commandLine().getSubcommands().get("train");

    assertThat(run("train", "--help")).isZero();
    String help = out.toString();
    for (CommandLine.Model.OptionSpec option : train.getCommandSpec().options()) {
      String name = option.longestName();
      String description = String.join(" ", option.description());
      assertThat(description).as(name).isNotBlank();
      assertThat(help).contains(name);
      if (defaults.containsKey(name)) {
        assertThat(description)
            .as(name)
            .containsPattern(
                java.util.regex.Pattern.quote("(default: " + defaults.get(name)) + "[),]");
      }
    }
    assertThat(help).contains("docs/config.md");
  }
}
