package dev.trainscope.server.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads a {@link RunLog}'s events by seq: one per stream, not thread-safe. It holds a file only
 * while it reads a block, so a thousand streams waiting for events or for their clients hold no
 * file descriptors.
 */
public final class LogReader implements EventReader {
  /** Bytes read ahead from the file, so a replay costs one read per block, not per event. */
  static final int BLOCK = 64 * 1024;

  private final RunLog log;
  private ByteBuffer block = ByteBuffer.allocate(0);
  private long blockStart;

  LogReader(RunLog log) {
    this.log = log;
  }

  /**
   * Events [{@code from}, {@code to}) of the given types (all when null) from the lines kept in
   * memory, without a lock or I/O; null when any of them is no longer (or not yet) kept there. This
   * is the path of a live subscriber that keeps up: it wakes on {@link RunLog#sizes()}, finds the
   * new lines here, and never touches the disk pool.
   */
  @Override
  public List<LogLine> recent(long from, long to, Set<String> types) {
    // A size published before the reader's start (the sizes' replay) asks for nothing new.
    if (to <= from) return List.of();
    if (to > log.size() || to - from > RunLog.RECENT) return null;
    List<LogLine> lines = new ArrayList<>((int) (to - from));
    for (long seq = from; seq < to; seq++) {
      LogLine line = log.recentLine(seq);
      if (line == null) return null;
      if (types == null || types.contains(line.type())) lines.add(line);
    }
    return lines;
  }

  /**
   * Event {@code seq} from the lines kept in memory (shared by all readers), without a lock or I/O;
   * null when it is no longer (or not yet) kept there.
   */
  @Override
  public LogLine recentLine(long seq) {
    return log.recentLine(seq);
  }

  /** The wire type of event {@code seq} (no I/O), or null when it does not exist yet. */
  @Override
  public String type(long seq) {
    return log.typeAt(seq);
  }

  /** Reads event {@code seq}, which must be below {@link RunLog#size()}. */
  @Override
  public LogLine read(long seq) throws IOException {
    RunLog.Location at = log.locate(seq);
    if (at.line() != null) return at.line();
    // Flushed bytes never change: read them without holding the log's lock.
    long start = at.start();
    long end = at.end();
    if (start < blockStart || end > blockStart + block.limit()) fill(start, end);
    byte[] json = new byte[(int) (end - start - 1)];
    block.get((int) (start - blockStart), json);
    return new LogLine(log.runId(), seq, at.type(), json);
  }

  /** Reads [start, end) and as much beyond as one block holds and the file has flushed. */
  private void fill(long start, long end) throws IOException {
    long flushed = log.flushedBytes();
    int size = (int) Math.max(end - start, Math.min(BLOCK, flushed - start));
    if (block.capacity() < size) block = ByteBuffer.allocate(Math.max(size, BLOCK));
    block.clear().limit(size);
    long pos = start;
    try (FileChannel channel =
        FileChannel.open(log.eventsFile(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      while (block.hasRemaining()) {
        int n = channel.read(block, pos);
        if (n < 0) throw new IOException("unexpected end of " + log.eventsFile() + " at " + pos);
        pos += n;
      }
    }
    block.flip();
    blockStart = start;
  }

  @Override
  public void close() throws IOException {
    block = ByteBuffer.allocate(0);
  }
}
