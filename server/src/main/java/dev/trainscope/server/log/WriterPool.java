package dev.trainscope.server.log;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Bounds the log files a store keeps open for writing: the logs written most recently keep their
 * channel, and beyond {@code max} the least recently written one closes its channel (its data is
 * already with the OS) and reopens it at its next write. A thousand unfinished external runs so
 * cost {@code max} descriptors, not a thousand.
 */
final class WriterPool {
  /** Default of {@code max}: leaves most of a 1,024 descriptor limit to connections. */
  static final int DEFAULT_MAX = 128;

  private final int max;
  private final LinkedHashMap<RunLog, Boolean> open = new LinkedHashMap<>(16, 0.75f, true);
  private volatile RunLog last; // the most recently touched log: it is in the map, and open

  WriterPool(int max) {
    if (max < 1) throw new IllegalArgumentException("max open logs >= 1 required but was " + max);
    this.max = max;
  }

  /**
   * Records that {@code log} has its channel open and was just written; returns the logs that must
   * now close theirs. The caller parks them outside its own lock: a log's lock is never held while
   * another's is taken.
   */
  List<RunLog> touch(RunLog log) {
    // A run writes its events in bursts: the common case needs no lock.
    if (last == log) return List.of();
    return touchLocked(log);
  }

  private synchronized List<RunLog> touchLocked(RunLog log) {
    last = log;
    open.put(log, Boolean.TRUE);
    if (open.size() <= max) return List.of();
    List<RunLog> evicted = new ArrayList<>(1);
    Iterator<RunLog> it = open.keySet().iterator();
    while (open.size() - evicted.size() > max && it.hasNext()) {
      RunLog eldest = it.next();
      if (eldest == log) continue;
      evicted.add(eldest);
    }
    evicted.forEach(open::remove);
    return evicted;
  }

  /** The log closed its channel for good. */
  synchronized void remove(RunLog log) {
    if (last == log) last = null;
    open.remove(log);
  }

  /** Logs holding an open channel (at most {@code max}, plus those being parked right now). */
  synchronized int size() {
    return open.size();
  }

  /** Parks the logs {@link #touch} evicted; call it outside their locks. */
  static void parkAll(List<RunLog> logs) {
    for (RunLog log : logs) {
      try {
        log.park();
      } catch (IOException e) {
        // Its data stays in its write buffer; its next write or close reports the error.
      }
    }
  }
}
