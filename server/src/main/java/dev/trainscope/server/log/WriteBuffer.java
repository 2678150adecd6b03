package dev.trainscope.server.log;

import java.io.ByteArrayOutputStream;

/**
 * The lines a {@link RunLog} has accepted but not yet written to its file; its array is read
 * without copying, under the log's lock.
 */
final class WriteBuffer extends ByteArrayOutputStream {
  byte[] array() {
    return buf;
  }

  /** Drops everything after the first {@code size} bytes (a batch that could not be written). */
  void truncate(int size) {
    count = size;
  }
}
