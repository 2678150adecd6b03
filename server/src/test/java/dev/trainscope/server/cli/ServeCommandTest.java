package dev.trainscope.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trainscope.server.ServerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeCommandTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /** Runs {@code serve}; a server that starts would block, so the bound fails the test instead. */
  private int serve(Path dataDir) {
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return assertTimeoutPreemptively(
        Duration.ofSeconds(20),
        () ->
            cl.execute(
                "serve", "--host", "127.0.0.1", "--port", "0", "--data-dir", dataDir.toString()));
  }

  @Test
  void aDataDirThatIsAFileIsRefusedWithOneLine() throws IOException {
    Path file = Files.writeString(dir.resolve("passwd"), "root:x:0:0\n");

    assertThat(serve(file)).isEqualTo(2);
    assertThat(err.toString().strip())
        .isEqualTo("trainscope serve: --data-dir " + file + " is not a directory");
    assertThat(out.toString()).doesNotContain("listening");
  }

  @Test
  void aDataDirThatCannotBeCreatedIsRefusedNamingTheCause() throws IOException {
    Path file = Files.writeString(dir.resolve("passwd"), "root:x:0:0\n");

    assertThat(serve(file.resolve("data"))).isEqualTo(2);
    assertThat(err.toString().strip())
        .startsWith("trainscope serve: --data-dir " + file.resolve("data") + " cannot be created")
        .contains(file + " is not a directory");
  }

  @Test
  void aRunsEntryThatIsAFileIsRefused() throws IOException {
    Files.writeString(dir.resolve("runs"), "");

    assertThat(serve(dir)).isEqualTo(2);
    assertThat(err.toString().strip())
        .isEqualTo(
            "trainscope serve: --data-dir "
                + dir
                + ": "
                + dir.resolve("runs")
                + " is not a directory");
  }

  @Test
  void aDataDirThatIsNotWritableIsRefused() throws IOException {
    Path ro = Files.createDirectory(dir.resolve("ro"));
    Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
    assumeTrue(!Files.isWritable(ro), "running as root: every directory is writable");

    assertThat(serve(ro)).isEqualTo(2);
    assertThat(err.toString().strip())
        .isEqualTo("trainscope serve: --data-dir " + ro + " is not writable");
  }

  @Test
  void helpShowsTheConfigsDefaults() {
    ServerConfig d = ServerConfig.defaults();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));

    assertThat(cl.execute("serve", "--help")).isZero();
    assertThat(out.toString().replaceAll("\\s+", " "))
        .contains("--host=<host> Address to bind (default: " + d.host() + ")")
        .contains("(default: " + d.port() + "; 0 picks a free one)")
        .contains("Data directory (default: ./" + d.dataDir() + ")")
        .contains("starts a new run (default: " + d.kerasGapMinutes() + ")")
        .contains("Last-Event-ID (default: " + d.limits().streamStallLimit().toSeconds() + ")")
        .contains("until its next write (default: " + d.limits().maxOpenLogs() + ")");
  }

  @Test
  void theProtocolDocsShowTheConfigsDefaults() throws IOException {
    ServerConfig d = ServerConfig.defaults();
    String doc = Files.readString(Path.of("..", "docs", "protocol.md")).replaceAll("\\s+", " ");

    assertThat(doc)
        .contains("[--host " + d.host() + "] [--port " + d.port() + "]")
        .contains("[--data-dir ./" + d.dataDir() + "]")
        .contains("[--keras-gap-minutes " + d.kerasGapMinutes() + "]")
        .contains("[--stream-stall-seconds " + d.limits().streamStallLimit().toSeconds() + "]")
        .contains("[--max-open-logs " + d.limits().maxOpenLogs() + "]");
  }
}
