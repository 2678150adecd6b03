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
    return encode(SseFrame.event(id, type, json));
  }

  public static byte[] comment(String text) {
    return encode(SseFrame.comment(text));
  }

  private static void writeData(ByteArrayOutputStream out, byte[] data) {
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

  private static String singleLine(String s) {
    return s.replace("\r\n", " ").replace('\r', ' ').replace('\n', ' ');
  }

  private static void write(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.write(b, 0, b.length);
  }
}
