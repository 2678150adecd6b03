package dev.trainscope.server.json;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 decoding of request bodies: invalid bytes are an error naming their offset, never
 * silently stored as U+FFFD.
 */
public final class Utf8 {
  private Utf8() {}

  /**
   * The text of {@code bytes}; {@link JsonInputException} (field {@code field}) naming the byte
   * offset of the first invalid sequence in {@code what} (e.g. "the request body").
   */
  public static String decode(byte[] bytes, String field, String what) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) result = decoder.flush(out);
    if (result.isError()) {
      int offset = in.position();
      StringBuilder found = new StringBuilder();
      for (int i = offset; i < Math.min(bytes.length, offset + result.length()); i++) {
        if (found.length() > 0) found.append(' ');
        found.append(String.format("0x%02X", bytes[i] & 0xFF));
      }
      String prefix = field == null ? "" : field + ": ";
      throw new JsonInputException(
          field,
          prefix + what + ": valid UTF-8 required but was " + found + " at byte offset " + offset);
    }
    return out.flip().toString();
  }

  /** Throws as {@link #decode} does when {@code bytes} are not valid UTF-8. */
  public static void check(byte[] bytes, String field, String what) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
    } catch (CharacterCodingException e) {
      decode(bytes, field, what);
    }
  }
}
