package dev.trainscope.server.log;

import java.nio.charset.StandardCharsets;

/**
 * One event as it is stored in a run's log: its sequence number, wire type and its JSON, encoded
 * once when it was appended (no trailing newline). Streams build their frames from these bytes.
 */
public record LogLine(String runId, long seq, String type, byte[] json) {

  public String jsonString() {
    return new String(json, StandardCharsets.UTF_8);
  }
}
