package dev.trainscope.server.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainscope.server.ServerFixture;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python client ({@code clients/python}) against a real server: its own unittest suite, and the
 * PyTorch example, whose run is then read back through the API. Without python3 the tests are
 * skipped (failed under {@code CI=true}); without torch the example's test is skipped, failed in
 * CI, where {@code .ci/run} installs it.
 */
class PythonClientTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final long LIMIT_SECONDS = 300;

  @TempDir Path data;
  ServerFixture fx;

  @AfterEach
  void stop() {
    if (fx != null) fx.close();
  }

  private record Result(int exit, String output) {}

  private Process start(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(PYTHON.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(REPO.toFile());
    pb.redirectErrorStream(true);
    pb.environment().remove("TRAINSCOPE_TOKEN");
    pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    if (fx != null) pb.environment().put("TRAINSCOPE_URL", "http://127.0.0.1:" + fx.server.port());
    return pb.start();
  }

  private Result python(String... args) throws Exception {
    return finish(start(args), String.join(" ", args));
  }

  /** The process's exit and output, once it has ended (killed after the limit). */
  private static Result finish(Process p, String command) throws Exception {
    StringBuilder out = new StringBuilder();
    Thread reader =
        new Thread(
            () -> {
              try {
                out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
              } catch (IOException e) {
                out.append("[output unreadable: ").append(e).append(']');
              }
            });
    reader.start();
    if (!p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      reader.join(10_000);
      throw new AssertionError(command + " still running after " + LIMIT_SECONDS + " s:\n" + out);
    }
    reader.join(10_000);
    return new Result(p.exitValue(), out.toString());
  }

  private static void skipOrFail(String message) {
    if ("true".equalsIgnoreCase(System.getenv("CI"))) throw new AssertionError(message);
    System.err.println("SKIPPED: " + message);
    Assumptions.abort(message);
  }

  private static void requirePython() {
    if (!Files.isExecutable(PYTHON)) {
      skipOrFail("the Python client's tests need /usr/bin/python3 (apt-get install -y python3)");
    }
  }

  @Test
  void clientSuitePassesAgainstARealServer() throws Exception {
    requirePython();
    fx = ServerFixture.start(data);
    Result r = python("-m", "unittest", "discover", "-s", "clients/python/tests", "-v");
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).as(r.output()).containsPattern("Ran (1[7-9]|[2-9]\\d) tests");
  }

  private void requireTorch() throws Exception {
    if (python("-c", "import torch").exit() != 0) {
      skipOrFail("the PyTorch example needs torch (apt-get install -y python3-torch)");
    }
  }

  @Test
  void pytorchExampleEndsStoppedAtTheEpochBoundaryAfterStop() throws Exception {
    requirePython();
    requireTorch();
    fx = ServerFixture.start(data);
    Process p = start("examples/pytorch_iris.py", "--epochs", "1000000", "--every", "100");
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String first =
        CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return lines.readLine();
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                })
            .get(LIMIT_SECONDS, TimeUnit.SECONDS);
    assertThat(first).as("the example's first line").startsWith("{\"run\"");
    String id = MAPPER.readTree(first).get("run").asText();
    assertThat(fx.post("/api/runs/" + id + "/stop", "").status()).isEqualTo(200);
    Result r = finish(p, "examples/pytorch_iris.py");
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("stopped at epoch");
    JsonNode run = fx.get("/api/runs/" + id).json();
    assertThat(run.get("state").asText()).isEqualTo("stopped");
    assertThat(run.get("lastEpoch").asInt()).isBetween(1, 999_999);
  }

  @Test
  void pytorchExampleRunHasItsEpochsTheProbesTraceAndLayerStatistics() throws Exception {
    requirePython();
    requireTorch();
    fx = ServerFixture.start(data);
    Result r = python("examples/pytorch_iris.py", "--epochs", "12", "--every", "3");
    assertThat(r.exit()).as(r.output()).isZero();
    JsonNode first = MAPPER.readTree(r.output().lines().findFirst().orElseThrow());
    String id = first.get("run").asText();
    JsonNode probe = first.get("probe");

    JsonNode run = fx.get("/api/runs/" + id).json();
    assertThat(run.get("state").asText()).isEqualTo("completed");
    assertThat(run.get("lastEpoch").asInt()).isEqualTo(12);
    assertThat(run.get("params").get("learningRate").asDouble()).isEqualTo(0.1);
    assertThat(run.get("model").get("layers").findValuesAsText("activation"))
        .containsExactly("relu", "sigmoid", "softmax");

    List<JsonNode> events = new ArrayList<>();
    for (String line : fx.get("/api/runs/" + id + "/events.ndjson").body().split("\n")) {
      if (!line.isBlank()) events.add(MAPPER.readTree(line));
    }
    assertThat(epochsOf(events, "epoch")).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
    assertThat(epochsOf(events, "activations")).containsExactly(3, 6, 9, 12);
    assertThat(epochsOf(events, "layer-stats")).containsExactly(3, 6, 9, 12);
    for (JsonNode e : events) {
      if (e.get("type").asText().equals("activations")) assertTraceOfProbe(e, probe);
      if (e.get("type").asText().equals("layer-stats")) assertLayerStats(e);
    }
  }

  private static List<Integer> epochsOf(List<JsonNode> events, String type) {
    return events.stream()
        .filter(e -> e.get("type").asText().equals(type))
        .map(e -> e.get("epoch").asInt())
        .toList();
  }

  /** The probe's values flow through: each output is its activation of the layer's z. */
  private static void assertTraceOfProbe(JsonNode e, JsonNode probe) {
    assertThat(e.get("input")).isEqualTo(probe);
    JsonNode layers = e.get("layers");
    assertThat(layers).hasSize(3);
    for (int i = 0; i < 3; i++) {
      JsonNode l = layers.get(i);
      assertThat(l.get("units").asInt()).isEqualTo(3);
      assertThat(l.get("weights")).hasSize(3);
      assertThat(l.get("weights").get(0)).hasSize(i == 0 ? 4 : 3);
    }
    double[] z0 = doubles(layers.get(0).get("linear")), a0 = doubles(layers.get(0).get("output"));
    for (int u = 0; u < 3; u++) assertThat(a0[u]).isEqualTo(Math.max(0, z0[u]));
    double[] z1 = doubles(layers.get(1).get("linear")), a1 = doubles(layers.get(1).get("output"));
    for (int u = 0; u < 3; u++)
      assertThat(a1[u]).isCloseTo(1 / (1 + Math.exp(-z1[u])), within(1e-6));
    double[] z2 = doubles(layers.get(2).get("linear")), p = doubles(e.get("probabilities"));
    double sum = 0;
    for (double z : z2) sum += Math.exp(z);
    int argmax = 0;
    for (int u = 0; u < 3; u++) {
      assertThat(p[u]).isCloseTo(Math.exp(z2[u]) / sum, within(1e-6));
      if (p[u] > p[argmax]) argmax = u;
    }
    assertThat(e.get("predicted").asInt()).isEqualTo(argmax);
    assertThat(e.get("predictedClass").asText()).isIn("setosa", "versicolor", "virginica");
    assertThat(e.get("labelClass").asText()).isIn("setosa", "versicolor", "virginica");
  }

  private static void assertLayerStats(JsonNode e) {
    JsonNode layers = e.get("layers");
    assertThat(layers.findValuesAsText("activation")).containsExactly("relu", "sigmoid", "softmax");
    assertThat(layers.get(0).has("deadFraction")).isTrue();
    assertThat(layers.get(1).has("saturatedFraction")).isTrue();
    for (JsonNode l : layers) {
      // 30 validation samples (20 % of 150) times 3 units; 12 or 9 weights
      assertThat(l.get("activations").get("count").asInt()).isEqualTo(90);
      assertThat(l.get("weights").get("count").asInt())
          .isEqualTo(l.get("index").asInt() == 0 ? 12 : 9);
      for (String s : List.of("weights", "gradients", "activations")) {
        JsonNode h = l.get(s).get("histogram");
        int total = 0;
        for (JsonNode b : h) total += b.asInt();
        assertThat(h).hasSize(20);
        assertThat(total).isEqualTo(l.get(s).get("count").asInt());
      }
      assertThat(l.get("updateRatio").asDouble()).isPositive();
    }
  }

  private static double[] doubles(JsonNode array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) out[i] = array.get(i).asDouble();
    return out;
  }
}
