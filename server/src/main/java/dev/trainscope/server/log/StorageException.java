package dev.trainscope.server.log;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.util.Locale;

/**
 * A run's files could not be written (typically a full disk). Whatever the failed write was for is
 * not stored: the file was put back as it was before it. The message names the cause and the run,
 * e.g. "no space left on device writing run X's log"; the API answers it with 507.
 */
public final class StorageException extends IOException {
  public StorageException(String runId, String what, IOException cause) {
    super(describe(cause) + " writing run " + runId + "'s " + what, cause);
  }

  private static String describe(IOException cause) {
    String m =
        cause instanceof FileSystemException f && f.getReason() != null
            ? f.getReason()
            : cause.getMessage();
    if (m == null || m.isBlank()) return cause.getClass().getSimpleName();
    return m.substring(0, 1).toLowerCase(Locale.ROOT) + m.substring(1);
  }
}
