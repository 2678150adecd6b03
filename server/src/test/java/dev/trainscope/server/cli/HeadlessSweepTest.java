package dev.trainscope.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainscope.server.ServerFixture;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeadlessSweepTest {
  @TempDir Path dir;

  private record Outcome(int code, String out, String err) {}

  private Outcome train(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    return new Outcome(code, out.toString(), err.toString());
  }

  private Path sweep(String json) throws Exception {
    Path f = dir.resolve("sweep.json");
    Files.writeString(f, json);
    return f;
  }

  /** The table's rows: run name and best value, in printed order. */
  private static List<String[]> rows(String out) {
    List<String[]> rows = new ArrayList<>();
    Matcher m =
        Pattern.compile("(?m)^(\\d+)\\s+(lr=\\S+ batch=\\d+)\\s+(\\w+)\\s+([0-9.]+)").matcher(out);
    while (m.find()) rows.add(new String[] {m.group(2), m.group(3), m.group(4)});
    return rows;
  }

  @Test
  void aSweepTrainsEveryRunAndEndsWithResultsBestFirst() throws Exception {
    Path data = dir.resolve("data");
    Path file =
        sweep(
            "{\"name\": \"lr-batch\", \"base\": {\"epochs\": 200},"
                + " \"grid\": {\"optimizer.learningRate\": [0.01, 0.3], \"batchSize\": [8, 16]}}");
    Outcome o =
        train(
            "train",
            "--sweep",
            file.toString(),
            "--epochs",
            "6",
            "--parallel",
            "2",
            "--metric",
            "val_loss",
            "--data-dir",
            data.toString());
    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.out()).contains("Sweep lr-batch (").contains("4 runs, 2 at a time");
    assertThat(o.out().lines().filter(l -> l.matches("\\[\\d/4\\] .*"))).hasSize(4);
    List<String[]> rows = rows(o.out());
    assertThat(rows).hasSize(4);
    assertThat(rows).allSatisfy(r -> assertThat(r[1]).isEqualTo("completed"));
    for (int i = 1; i < rows.size(); i++) {
      assertThat(Double.parseDouble(rows.get(i)[2]))
          .isGreaterThanOrEqualTo(Double.parseDouble(rows.get(i - 1)[2]));
    }

    // the same layout the server reads: it shows the sweep, its four runs of 6 epochs each
    try (ServerFixture fx = ServerFixture.start(data)) {
      JsonNode sweeps = fx.get("/api/sweeps").json();
      assertThat(sweeps).hasSize(1);
      JsonNode detail = fx.get("/api/sweeps/" + sweeps.get(0).get("id").asText()).json();
      assertThat(detail.get("runs")).hasSize(4);
      for (JsonNode run : detail.get("runs")) {
        assertThat(run.get("kind").asText()).isEqualTo("headless");
        assertThat(run.get("state").asText()).isEqualTo("completed");
        assertThat(run.get("lastEpoch").asInt()).isEqualTo(6);
      }
      assertThat(detail.get("runs").get(3).get("name").asText()).isEqualTo("lr=0.3 batch=16");
    }
  }

  @Test
  void aBadSweepIsOneLineAndExitTwoWithNothingWritten() throws Exception {
    Path data = dir.resolve("data");
    Path file = sweep("{\"grid\": {\"optimizer.learningRate\": [0.1, 0]}}");
    Outcome o = train("train", "--sweep", file.toString(), "--data-dir", data.toString());
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err().strip())
        .isEqualTo(
            "trainscope train: grid.optimizer.learningRate[1]: learningRate > 0 required but was 0.0");
    assertThat(Files.exists(data)).isFalse();

    Outcome metric =
        train("train", "--sweep", file.toString(), "--metric", "f1", "--data-dir", data.toString());
    assertThat(metric.code()).isEqualTo(2);
    assertThat(metric.err()).contains("--metric one of loss, accuracy, val_loss, val_accuracy");
    Outcome missing = train("train", "--sweep", dir.resolve("none.json").toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("sweep file not found");
    Outcome alone = train("train", "--parallel", "2", "--data-dir", data.toString());
    assertThat(alone.code()).isEqualTo(2);
    assertThat(alone.err()).contains("--parallel and --metric go with --sweep");
  }
}
