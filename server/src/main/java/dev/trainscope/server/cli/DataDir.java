package dev.trainscope.server.cli;

import dev.trainscope.server.log.RunStore;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Checks a {@code --data-dir} before anything starts: a server that listens on a directory it
 * cannot write answers every run with a 500, so the command refuses to start instead.
 */
final class DataDir {
  private DataDir() {}

  /**
   * Creates {@code dir} and its {@code runs} folder if missing; returns why it cannot hold runs
   * (one line naming the directory), or empty when it can. Writability is the permission check
   * only, never a probe write: a full disk still serves its runs read-only.
   */
  static Optional<String> problem(Path dir) {
    String name = "--data-dir " + dir;
    if (Files.exists(dir) && !Files.isDirectory(dir))
      return Optional.of(name + " is not a directory");
    Path runs = dir.resolve(RunStore.RUNS_DIR);
    if (Files.exists(runs) && !Files.isDirectory(runs)) {
      return Optional.of(name + ": " + runs + " is not a directory");
    }
    try {
      Files.createDirectories(runs);
    } catch (IOException e) {
      return Optional.of(name + " cannot be created: " + reason(dir, e));
    }
    if (!Files.isWritable(dir) || !Files.isWritable(runs)) {
      return Optional.of(name + (Files.isWritable(dir) ? ": " + runs : "") + " is not writable");
    }
    return Optional.empty();
  }

  /** The nearest existing ancestor that is a file is the usual cause; else what the OS said. */
  private static String reason(Path dir, IOException e) {
    for (Path p = dir.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
      if (Files.exists(p)) {
        if (!Files.isDirectory(p)) return p + " is not a directory";
        break;
      }
    }
    String why = e instanceof FileSystemException f ? f.getReason() : e.getMessage();
    return e.getClass().getSimpleName() + (why == null ? "" : ": " + why);
  }
}
