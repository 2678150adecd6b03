package dev.trainscope.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A small tmpfs mounted for one test, to fill to the brim: a real full disk, not a simulated one.
 * Mounting needs root (as on the build machines and in CI); elsewhere the test is skipped with a
 * message. Close it after the test (and after the server using it).
 */
public final class Tmpfs implements AutoCloseable {
  private final Path dir;
  private final boolean ownDir;

  private Tmpfs(Path dir, boolean ownDir) {
    this.dir = dir;
    this.ownDir = ownDir;
  }

  /** Mounts a tmpfs of {@code size} on a new temporary directory (removed on close), or skips. */
  public static Tmpfs mount(String size) throws Exception {
    Path dir = Files.createTempDirectory("trainscope-tmpfs");
    try {
      return mount(dir, size, true);
    } catch (org.opentest4j.TestAbortedException skipped) {
      Files.deleteIfExists(dir);
      throw skipped;
    }
  }

  /** Mounts a tmpfs of {@code size} (e.g. {@code 1m}) at {@code dir}, or skips the test. */
  public static Tmpfs mount(Path dir, String size) throws Exception {
    return mount(dir, size, false);
  }

  private static Tmpfs mount(Path dir, String size, boolean ownDir) throws Exception {
    Files.createDirectories(dir);
    String out = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString());
    Assumptions.assumeTrue(
        out == null, "a full-disk test needs to mount a tmpfs (as root), which failed: " + out);
    return new Tmpfs(dir, ownDir);
  }

  public Path dir() {
    return dir;
  }

  /** Deletes what {@link #fill()} wrote: there is room again. */
  public void free() throws IOException {
    Files.deleteIfExists(dir.resolve("filler"));
  }

  /** Writes a filler file until the file system refuses even one more byte. */
  public void fill() throws IOException {
    try (FileChannel ch =
        FileChannel.open(
            dir.resolve("filler"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      // Bounded by the file system's size: each loop ends at the first ENOSPC.
      fillWith(ch, 64 * 1024);
      fillWith(ch, 1);
    }
  }

  private static void fillWith(FileChannel ch, int chunk) {
    ByteBuffer buf = ByteBuffer.allocate(chunk);
    try {
      while (true) {
        buf.clear();
        ch.write(buf);
      }
    } catch (IOException full) {
      // The disk is full.
    }
  }

  @Override
  public void close() throws Exception {
    if (run("umount", dir.toString()) != null) run("umount", "-l", dir.toString());
    if (ownDir) Files.deleteIfExists(dir);
  }

  /** Runs a command; null on success, else its output. */
  private static String run(String... command) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      return e.getMessage();
    }
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return String.join(" ", command) + " did not finish in 20 s";
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + out;
  }
}
