package dev.trainscope.server.log;

import dev.trainscope.server.sse.SharedFrame;
import dev.trainscope.server.sse.SseEncoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One event as it is stored in a run's log: its sequence number, wire type and its JSON, encoded
 * once when it was appended (no trailing newline). Recent lines are shared by every reader of the
 * log, so {@link #sseFrame()} is built once per event, not once per subscriber. The JSON bytes must
 * not be modified.
 */
public final class LogLine {
  private final String runId;
  private final long seq;
  private final String type;
  private final byte[] json;
  private volatile byte[] sseFrame;
  private volatile boolean shared;
  private volatile SharedFrame wireFrame;
  private volatile SharedBatch batchFrame;
  private volatile SharedFrame allRunsFrame;

  /** The frames of a run of consecutive lines from {@code first} to this one. */
  private record SharedBatch(LogLine first, int count, SharedFrame frame) {}

  public LogLine(String runId, long seq, String type, byte[] json) {
    this.runId = runId;
    this.seq = seq;
    this.type = type;
    this.json = json;
  }

  public String runId() {
    return runId;
  }

  public long seq() {
    return seq;
  }

  public String type() {
    return type;
  }

  public byte[] json() {
    return json;
  }

  /**
   * Marks a line that the log keeps in memory for all its readers (every live subscriber gets this
   * very object) and builds its frame, where it costs no subscriber anything.
   */
  void share() {
    sseFrame();
    shared = true;
  }

  /** True for a line every live reader shares; false for one read back from the file for one. */
  public boolean isShared() {
    return shared;
  }

  public String jsonString() {
    return new String(json, StandardCharsets.UTF_8);
  }

  /**
   * Appends this event's SSE frame to {@code out}: the cached frame of a line shared by live
   * readers, or, for a line read back from the file for one reader, the frame encoded straight into
   * {@code out} (nobody else will want it, so it is neither cached nor built twice).
   */
  public void writeSseFrame(ByteArrayOutputStream out) {
    byte[] frame = sseFrame;
    if (frame != null) out.writeBytes(frame);
    else SseEncoder.writeEvent(out, Long.toString(seq), type, json);
  }

  /** {@code id: <seq>}, {@code event: <type>}, {@code data: <json>} and a blank line; cached. */
  public byte[] sseFrame() {
    byte[] frame = sseFrame;
    if (frame == null) {
      // A benign race: two threads may both build the same bytes; either result is correct.
      frame = SseEncoder.event(Long.toString(seq), type, json);
      sseFrame = frame;
    }
    return frame;
  }

  /** {@link #sseFrame()} as a buffer for every subscriber's write; cached. */
  public SharedFrame sharedFrame() {
    SharedFrame frame = wireFrame;
    if (frame == null) {
      frame = SharedFrame.of(sseFrame()); // a benign race, as in sseFrame()
      wireFrame = frame;
    }
    return frame;
  }

  /**
   * The frames of {@code batch}, which ends with this line, encoded once for every subscriber that
   * sends the same batch: live subscribers that keep up all wake for the same new lines. Null when
   * the batch is not a run of consecutive events (a {@code types} filter dropped some): then the
   * caller encodes it for its subscriber alone.
   */
  public SharedFrame batchFrame(List<LogLine> batch) {
    LogLine first = batch.get(0);
    if (batch.get(batch.size() - 1) != this || seq - first.seq + 1 != batch.size()) return null;
    SharedBatch cached = batchFrame;
    if (cached != null && cached.first == first && cached.count == batch.size()) {
      return cached.frame;
    }
    int size = 0;
    for (LogLine l : batch) size += l.json.length + 48;
    ByteArrayOutputStream frames = new ByteArrayOutputStream(size);
    for (LogLine l : batch) l.writeSseFrame(frames);
    SharedFrame frame = SharedFrame.of(frames.toByteArray());
    // One batch per line: subscribers that woke at different points overwrite it, which costs
    // them an encoding each, never a wrong frame (the key is the batch's first line).
    batchFrame = new SharedBatch(first, batch.size(), frame);
    return frame;
  }

  /**
   * This event's frame on the stream of all runs ({@code id: <runId>:<seq>}), encoded once for
   * every subscriber of that stream; cached.
   */
  public SharedFrame allRunsFrame() {
    SharedFrame frame = allRunsFrame;
    if (frame == null) {
      frame = SharedFrame.of(SseEncoder.event(runId + ":" + seq, type, json));
      allRunsFrame = frame;
    }
    return frame;
  }
}
