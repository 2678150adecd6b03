package dev.trainscope.server.log;

import dev.trainscope.server.sse.SseEncoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

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
}
