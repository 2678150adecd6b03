package dev.trainscope.server.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Counts this process's open file descriptors on files under a directory (Linux /proc). */
final class OpenFiles {
  private OpenFiles() {}

  static boolean supported() {
    return Files.isDirectory(Path.of("/proc/self/fd"));
  }

  static long under(Path dir) throws IOException {
    Path real = dir.toRealPath();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.filter(
              fd -> {
                try {
                  return Files.readSymbolicLink(fd).startsWith(real);
                } catch (IOException | UnsupportedOperationException e) {
                  return false; // closed meanwhile, or not a link to a file
                }
              })
          .count();
    }
  }
}
