package dev.trainscope.server.log;

import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.server.json.EventCodec;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Recovery's reading of an existing {@code events.ndjson}: indexes into a {@link RunLog} the
 * longest run of events with seq 0, 1, 2, ... that belong to the run, and passes each to a
 * consumer. It only reads; what is to be done with the rest is the caller's.
 *
 * <ul>
 *   <li>A UTF-8 byte order mark at the start is skipped (editors on Windows write one).
 *   <li>A line repeating a seq already kept is a duplicate and is skipped.
 *   <li>A line that is not an event of this run (not UTF-8, not JSON, not an event, another run's)
 *       is skipped when an event with the next seq follows it.
 *   <li>The first gap in the seqs, an event after the terminal one, or a last line without its
 *       newline (a torn write) ends the kept events: everything from the end of the last kept line
 *       on is the tail.
 * </ul>
 */
final class LogScan {
  private static final int BOM_LENGTH = 3;

  /** No event line is this long: a longer one is not read into memory but ends the kept events. */
  static final int MAX_LINE = 16 << 20;

  final String runId;
  long kept;
  long keptEnd; // the byte after the last kept line: the log may be cut back to here
  long fileSize;
  int duplicates;
  int unreadableLines;
  long unreadableBytes;
  TrainingEvent last;
  String terminal;
  int lastEpoch;

  // Skipped lines since the last kept event: they count once an event follows them, else they are
  // part of the tail.
  private int pendingDuplicates;
  private int pendingUnreadable;
  private long pendingUnreadableBytes;
  private String stop; // why the kept events ended before the end of the file, if they did

  private LogScan(String runId) {
    this.runId = runId;
  }

  /** A run without an events file. */
  static LogScan empty(String runId) {
    return new LogScan(runId);
  }

  static LogScan scan(
      Path events, String runId, EventCodec codec, RunLog index, Consumer<TrainingEvent> onEvent)
      throws IOException {
    LogScan scan = new LogScan(runId);
    CharsetDecoder utf8 =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try (InputStream in =
        new BufferedInputStream(Files.newInputStream(events, LinkOption.NOFOLLOW_LINKS), 1 << 16)) {
      long pos = 0;
      in.mark(BOM_LENGTH);
      byte[] head = in.readNBytes(BOM_LENGTH);
      if (head.length == BOM_LENGTH
          && (head[0] & 0xff) == 0xEF
          && (head[1] & 0xff) == 0xBB
          && (head[2] & 0xff) == 0xBF) {
        pos = BOM_LENGTH;
      } else {
        in.reset();
      }
      scan.keptEnd = pos;
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      long lineStart = pos;
      int b;
      while (scan.stop == null && (b = in.read()) >= 0) {
        pos++;
        if (b != '\n') {
          if (line.size() >= MAX_LINE) scan.stop = "a line longer than " + MAX_LINE + " bytes";
          line.write(b);
          continue;
        }
        scan.line(line.toByteArray(), lineStart, utf8, codec, index, onEvent);
        line.reset();
        lineStart = pos;
      }
    }
    scan.fileSize = Files.size(events);
    if (scan.stop == null && scan.hasTail()) {
      if (scan.pendingUnreadable > 0) scan.stop = "lines that are not events of this run";
      else if (scan.pendingDuplicates > 0) scan.stop = "duplicate lines";
      else scan.stop = "a torn last line, without its newline";
    }
    return scan;
  }

  private void line(
      byte[] bytes,
      long offset,
      CharsetDecoder utf8,
      EventCodec codec,
      RunLog index,
      Consumer<TrainingEvent> onEvent) {
    TrainingEvent event;
    try {
      event = codec.decode(utf8.decode(ByteBuffer.wrap(bytes)).toString());
    } catch (CharacterCodingException | RuntimeException e) {
      event = null;
    }
    if (event == null || !runId.equals(event.runId())) {
      pendingUnreadable++;
      pendingUnreadableBytes += bytes.length + 1;
      return;
    }
    if (event.seq() < kept) {
      pendingDuplicates++;
      return;
    }
    if (terminal != null) {
      stop = "an event after the run's terminal event";
      return;
    }
    if (event.seq() > kept) {
      stop = "seq " + event.seq() + " where " + kept + " was next";
      return;
    }
    index.indexExisting(event.type(), offset, bytes.length);
    duplicates += pendingDuplicates;
    unreadableLines += pendingUnreadable;
    unreadableBytes += pendingUnreadableBytes;
    pendingDuplicates = 0;
    pendingUnreadable = 0;
    pendingUnreadableBytes = 0;
    kept++;
    keptEnd = offset + bytes.length + 1;
    last = event;
    if (event instanceof TrainingEvent.Epoch e) lastEpoch = e.epoch();
    terminal = RunStates.finalStateOf(event);
    onEvent.accept(event);
  }

  /** What the tail begins with; null when there is none. */
  String tailReason() {
    return hasTail() ? stop : null;
  }

  /** True when bytes follow the last kept line. */
  boolean hasTail() {
    return fileSize > keptEnd;
  }
}
