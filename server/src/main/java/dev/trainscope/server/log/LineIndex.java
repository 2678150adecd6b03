package dev.trainscope.server.log;

import dev.trainscope.engine.event.TrainingEvent;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each event's line lies in {@code events.ndjson}, and its type, by seq: what lets a reader
 * seek to any event without scanning the file. Not thread-safe: {@link RunLog} uses it under its
 * lock. A type is kept as one byte (its index in {@link TrainingEvent#TYPES}), so a million events
 * cost 9 MB.
 */
final class LineIndex {
  private long[] starts = new long[64];
  private byte[] types = new byte[64];
  // The line ends of recovered events followed by bytes recovery skipped (rare, usually empty):
  // for the others a line ends where the next begins.
  private final Map<Long, Long> endsBeforeSkipped = new HashMap<>();

  /** Records that the line of {@code seq} starts at byte {@code start}. */
  void put(int seq, long start, String type) {
    if (seq >= starts.length) {
      int cap = Math.max(seq + 1, starts.length * 2);
      starts = Arrays.copyOf(starts, cap);
      types = Arrays.copyOf(types, cap);
    }
    starts[seq] = start;
    types[seq] = (byte) TrainingEvent.TYPES.indexOf(type);
  }

  /** Records that the line of {@code seq} ends at {@code end}, not where the next line starts. */
  void endsAt(long seq, long end) {
    endsBeforeSkipped.put(seq, end);
  }

  long start(long seq) {
    return starts[(int) seq];
  }

  /**
   * The end (after its newline) of the line of {@code seq}, in a log of {@code count} lines whose
   * last line ends at {@code totalBytes}.
   */
  long end(long seq, int count, long totalBytes) {
    Long skipped = endsBeforeSkipped.get(seq);
    if (skipped != null) return skipped;
    return seq + 1 < count ? starts[(int) seq + 1] : totalBytes;
  }

  /** The wire type of the event {@code seq}; null for a type this server does not know. */
  String type(long seq) {
    int t = types[(int) seq];
    return t < 0 ? null : TrainingEvent.TYPES.get(t);
  }
}
