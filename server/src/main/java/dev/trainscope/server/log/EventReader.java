package dev.trainscope.server.log;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/** A cursor over one {@link EventLog}: what a stream reads its events with. */
public interface EventReader extends Closeable {
  /**
   * Events [{@code from}, {@code to}) of the given types (all when null), when the log holds them
   * in memory: no lock and no I/O, for a live subscriber that keeps up; null otherwise.
   */
  List<LogLine> recent(long from, long to, Set<String> types);

  /** Event {@code seq} when the log holds it in memory (no lock, no I/O); null otherwise. */
  LogLine recentLine(long seq);

  /** The wire type of event {@code seq} without I/O, or null when it does not exist yet. */
  String type(long seq);

  /** Reads event {@code seq}, which must be below the log's size. */
  LogLine read(long seq) throws IOException;

  @Override
  default void close() throws IOException {}
}
