package dev.trainscope.server.sse;

/**
 * One Server-Sent Events frame before encoding. Any field may be null (then it is left out); a
 * frame with only a {@code comment} is a keep-alive.
 */
public record SseFrame(String id, String event, byte[] data, String comment, Long retryMs) {

  public static SseFrame event(String id, String event, byte[] data) {
    return new SseFrame(id, event, data, null, null);
  }

  public static SseFrame comment(String comment) {
    return new SseFrame(null, null, null, comment, null);
  }

  public static SseFrame retry(long retryMs) {
    return new SseFrame(null, null, null, null, retryMs);
  }
}
