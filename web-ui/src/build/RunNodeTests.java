import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs the dashboard's Node unit tests ({@code node --test}) in web-ui's {@code test} phase, started
 * by exec-maven-plugin with the JDK's source launcher: {@code java RunNodeTests.java <test dir>
 * <node>}. Where node is missing it decides as the browser tests do: a developer machine skips with
 * how to install it, CI ({@code CI=true}) fails. Java rather than a shell script or a profile
 * activated by a missing file: the JDK is the one thing every build of this project has, and the
 * check finds node on the PATH wherever it is installed.
 */
public class RunNodeTests {
  static final String INSTALL_HINT = "install with: apt-get install -y nodejs";

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length != 2) {
      System.err.println("usage: java RunNodeTests.java <test dir> <node executable>");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    String node = args[1].isBlank() ? "node" : args[1];
    List<String> tests = testFiles(dir);
    if (tests.isEmpty()) {
      // A suite that finds nothing to run cannot fail: say so instead of passing.
      System.err.println("ERROR: no *.test.mjs files in " + dir);
      System.exit(1);
    }
    String version = version(node);
    if (version == null) {
      String message = "Node unit tests need node (`" + node + "` not found); " + INSTALL_HINT;
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        System.err.println("ERROR: " + message);
        System.exit(1);
      }
      System.out.println("SKIPPED: " + message);
      return;
    }
    List<String> command = new ArrayList<>(List.of(node, "--test"));
    // The files, not the directory: how node --test expands a directory differs between versions.
    command.addAll(tests);
    System.out.println("Node " + version + ": " + String.join(" ", command));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start();
    System.exit(p.waitFor());
  }

  static List<String> testFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) return List.of();
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".test.mjs"))
          .sorted()
          .toList();
    }
  }

  /** The version {@code node --version} prints, or null when node cannot be started. */
  static String version(String node) throws InterruptedException {
    try {
      Process p = new ProcessBuilder(node, "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor() == 0 ? out : null;
    } catch (IOException notFound) {
      return null;
    }
  }
}
