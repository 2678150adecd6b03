package dev.trainscope.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A 2 MiB tmpfs that a test can fill ({@link #fill()}) and free again: a real full disk. Needs root
 * (we are root here and in CI); elsewhere the test is skipped with a message. Close it after the
 * server that uses it.
 */
public final class SmallDisk implements AutoCloseable {
  private final Path dir;

  private SmallDisk(Path dir) {
    this.dir = dir;
  }

  public static SmallDisk mount() throws Exception {
    Path dir = Files.createTempDirectory("trainscope-small-disk");
    boolean mounted = run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", dir.toString());
    if (!mounted) Files.deleteIfExists(dir);
    Assumptions.assumeTrue(
        mounted, "cannot mount a 2 MiB tmpfs here (needs root): full-disk test skipped");
    return new SmallDisk(dir);
  }

  public Path dir() {
    return dir;
  }

  /** Writes a filler file until the disk is full. */
  public void fill() throws IOException {
    ByteBuffer block = ByteBuffer.allocate(4096);
    try (FileChannel ch =
        FileChannel.open(
            dir.resolve("filler"), StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      for (int i = 0; i < 1024; i++) { // 4 MiB at most: more than the disk holds
        block.clear();
        while (block.hasRemaining()) ch.write(block);
      }
    } catch (IOException e) {
      if (!String.valueOf(e.getMessage()).contains("No space left")) throw e;
      return;
    }
    throw new IllegalStateException("the small disk did not fill up");
  }

  /** Deletes the filler: there is room again. */
  public void free() throws IOException {
    Files.deleteIfExists(dir.resolve("filler"));
  }

  @Override
  public void close() throws Exception {
    if (!run("umount", dir.toString())) run("umount", "-l", dir.toString());
    Files.deleteIfExists(dir);
  }

  private static boolean run(String... command) throws InterruptedException {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }
}
