package dev.trainscope.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Node side of {@link CrowdBurst}: npm {@code eventsource} installed into a cache directory,
 * the client and floor scripts beside it, and the processes that run them.
 */
final class NodeCrowd {
  /**
   * eventsource 5.x requires Node 22.12 or newer; 4.x is the same client (the WHATWG rewrite on
   * fetch) for Node 20, which Debian bookworm ships.
   */
  static final String EVENTSOURCE_5 = "5.1.5";

  static final String EVENTSOURCE_4 = "4.1.1";
  private static final ObjectMapper JSON = new ObjectMapper();

  final Path dir;
  final String eventsourceVersion;
  final String nodeVersion;

  private NodeCrowd(Path dir, String version, String nodeVersion) {
    this.dir = dir;
    this.eventsourceVersion = version;
    this.nodeVersion = nodeVersion;
  }

  /** True when {@code node} and {@code npm} are on the PATH. */
  static boolean available() {
    return runs("node", "--version") && runs("npm", "--version");
  }

  private static boolean runs(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Installs eventsource (once: it stays in {@code dir}) and writes the scripts there, where Node
   * resolves {@code import 'eventsource'} from {@code dir/node_modules}.
   */
  static NodeCrowd install(Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    String nodeVersion = exec(dir, "node", "--version").trim();
    String[] node = nodeVersion.replace("v", "").split("\\.");
    int major = Integer.parseInt(node[0]);
    boolean five = major > 22 || (major == 22 && Integer.parseInt(node[1]) >= 12);
    String version = five ? EVENTSOURCE_5 : EVENTSOURCE_4;
    Path installed = dir.resolve("node_modules/eventsource/package.json");
    if (!Files.exists(installed)
        || !Files.readString(installed).contains("\"version\": \"" + version + "\"")) {
      Path pkg = dir.resolve("package.json");
      if (!Files.exists(pkg)) Files.writeString(pkg, "{\"private\": true}\n");
      exec(dir, "npm", "install", "--no-audit", "--no-fund", "eventsource@" + version);
    }
    for (String script : List.of("crowd-client.mjs", "floor.mjs")) {
      try (InputStream in = NodeCrowd.class.getResourceAsStream("node/" + script)) {
        if (in == null) throw new IllegalStateException("missing resource node/" + script);
        Files.copy(in, dir.resolve(script), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return new NodeCrowd(dir, version, nodeVersion);
  }

  private static String exec(Path dir, String... command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + out);
    }
    return out;
  }

  /**
   * One burst: a fresh Node process starts a run at {@code url} and opens {@code clients} streams
   * of it at once. Returns its report (see crowd-client.mjs).
   */
  JsonNode burst(String url, int clients, String runBody, List<String> types, long timeoutMs)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("node");
    command.add(dir.resolve("crowd-client.mjs").toString());
    command.add(url);
    command.add(Integer.toString(clients));
    command.add(runBody);
    command.add(String.join(",", types));
    command.add(Long.toString(timeoutMs));
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(timeoutMs + 30_000, TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException("the crowd client failed (exit " + exitOf(p) + "): " + out);
    }
    String last = out.substring(out.lastIndexOf('\n') + 1);
    return JSON.readTree(last);
  }

  private static String exitOf(Process p) {
    return p.isAlive() ? "still running" : Integer.toString(p.exitValue());
  }

  /** The floor broadcaster replaying {@code recorded} (an events.ndjson); close it when done. */
  Floor floor(Path recorded) throws IOException {
    Process p =
        new ProcessBuilder("node", dir.resolve("floor.mjs").toString(), recorded.toString())
            .directory(dir.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null || !line.startsWith("floor listening on ")) {
      p.destroyForcibly();
      throw new IOException("the floor did not start: " + line);
    }
    return new Floor(p, line.substring("floor listening on ".length()).trim());
  }

  record Floor(Process process, String url) implements AutoCloseable {
    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
    }
  }
}
