package dev.trainscope.server.sse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Encodes {@link SseFrame}s as the bytes of the {@code text/event-stream} format (WHATWG HTML,
 * "Server-sent events"). A pure function: no I/O, no state.
 *
 * <p>Multi-line safety: a data payload containing line breaks ({@code \n}, {@code \r} or {@code
 * \r\n}) becomes several {@code data:} lines, which a client joins back with {@code \n}; line
 * breaks in {@code id}, {@code event} and comments would end the field early, so they are replaced
 * by spaces ({@code id} also may not contain NUL, which is removed). Every frame ends with a blank
 * line (a comment-only frame with a single line break, as it dispatches nothing).
 */
public final class SseEncoder {
  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);

  private SseEncoder() {}

  public static byte[] encode(SseFrame frame) {
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(32 + (frame.data() == null ? 0 : frame.data().length));
    if (frame.comment() != null) {
      for (String line : frame.comment().split("\r\n|\r|\n", -1)) {
        write(out, ": " + line + "\n");
      }
    }
    if (frame.retryMs() != null) write(out, "retry: " + Math.max(0, frame.retryMs()) + "\n");
    if (frame.id() != null) write(out, "id: " + singleLine(frame.id()).replace("\0", "") + "\n");
    if (frame.event() != null) write(out, "event: " + singleLine(frame.event()) + "\n");
    if (frame.data() != null) writeData(out, frame.data());
    boolean dispatches = frame.data() != null || frame.event() != null || frame.id() != null;
    boolean onlyComment = !dispatches && frame.retryMs() == null;
    if (!onlyComment || frame.comment() == null) out.write('\n');
    return out.toByteArray();
  }

  /** {@code id: <seq>}, {@code event: <type>}, {@code data: <json>} and a blank line. */
  public static byte[] event(String id, String type, byte[] json) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(json.length + 64);
    writeEvent(out, id, type, json);
    return out.toByteArray();
  }

  /**
   * Appends the frame of {@link #event} to {@code out}: a replay writes a batch of frames into one
   * buffer without a buffer per frame. Same bytes as {@code encode(SseFrame.event(id, type,
   * json))}.
   */
  public static void writeEvent(ByteArrayOutputStream out, String id, String type, byte[] json) {
    if (isSafe(id) && isSafe(type)) {
      // The common case, ids and types of plain characters: no per-field strings.
      writeAscii(out, "id: ", id);
      writeAscii(out, "event: ", type);
      writeData(out, json);
      out.write('\n');
    } else {
      out.writeBytes(encode(SseFrame.event(id, type, json)));
    }
  }

  /** True when {@code s} is printable ASCII (no line break, no NUL): written as it is. */
  private static boolean isSafe(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e) return false;
    }
    return true;
  }

  private static void writeAscii(ByteArrayOutputStream out, String field, String value) {
    for (int i = 0; i < field.length(); i++) out.write(field.charAt(i));
    for (int i = 0; i < value.length(); i++) out.write(value.charAt(i));
    out.write('\n');
  }

  public static byte[] comment(String text) {
    return encode(SseFrame.comment(text));
  }

  private static void writeData(ByteArrayOutputStream out, byte[] data) {
    if (lineBreakIn(data) < 0) { // JSON as the server writes it: one line, one copy
      out.write(DATA, 0, DATA.length);
      out.write(data, 0, data.length);
      out.write('\n');
      return;
    }
    int start = 0;
    int i = 0;
    while (i <= data.length) {
      if (i == data.length || data[i] == '\n' || data[i] == '\r') {
        out.write(DATA, 0, DATA.length);
        out.write(data, start, i - start);
        out.write('\n');
        if (i < data.length && data[i] == '\r' && i + 1 < data.length && data[i + 1] == '\n') i++;
        start = i + 1;
      }
      i++;
    }
  }

  private static int lineBreakIn(byte[] data) {
    for (int i = 0; i < data.length; i++) if (data[i] == '\n' || data[i] == '\r') return i;
    return -1;
  }

  private static String singleLine(String s) {
    return s.replace("\r\n", " ").replace('\r', ' ').replace('\n', ' ');
  }

  private static void write(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.write(b, 0, b.length);
  }
}
