package dev.trainscope.bench;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.Disposable;
import reactor.netty.http.client.HttpClient;

/**
 * A lean SSE subscriber over reactor-netty: splits the byte stream into lines, assembles frames
 * ({@code event}, {@code data}) and hands each event to a listener with the event's {@code time}
 * field and the wall-clock time of receipt. Loopback only; bounded by the caller's timeout.
 *
 * <p>The load harnesses run hundreds of these in the server's JVM on a 2-core machine, so the
 * client must cost far less than the server: lines are found with Netty's SWAR byte search, only
 * the head of a {@code data} line is kept (the engine writes {@code time} among the first fields),
 * and the whole data is decoded only for the event types the caller asks for.
 */
public final class SseClient implements AutoCloseable {
  /** Called once per received event, on a netty thread. */
  public interface Listener {
    /**
     * @param time the event's {@code time} field (engine emission time), or -1
     * @param data the whole data, only for the types asked for; otherwise null
     */
    void onEvent(String type, long time, String data, long receivedMillis);
  }

  /** How much of a line is kept: enough for the field name and {@code time}. */
  private static final int HEAD = 256;

  private static final byte[] TIME = "\"time\":".getBytes(StandardCharsets.US_ASCII);

  private final byte[] head = new byte[HEAD];
  private int headLength;
  private long lineLength;
  private final ByteArrayOutputStream fullLine = new ByteArrayOutputStream();
  private boolean keepLine;
  private String type;
  private long time = -1;
  private String data;
  private boolean hasData;
  private final Set<String> withData;
  private final Listener listener;
  private final CountDownLatch done = new CountDownLatch(1);
  private final AtomicLong events = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong reads = new AtomicLong();
  private volatile long lastId = -1;
  private final Disposable subscription;

  /** A client that decodes no event's data. */
  public SseClient(HttpClient client, String uri, Listener listener) {
    this(client, uri, Set.of(), listener);
  }

  /** A client that decodes the whole data of the events whose type is in {@code withData}. */
  public SseClient(HttpClient client, String uri, Set<String> withData, Listener listener) {
    this.withData = withData;
    this.listener = listener;
    this.subscription =
        client
            .headers(h -> h.add("Accept", "text/event-stream"))
            .get()
            .uri(uri)
            .responseContent()
            .doOnNext(this::feed)
            .doFinally(s -> done.countDown())
            .subscribe(b -> {}, e -> {});
  }

  private synchronized void feed(ByteBuf buf) {
    int pos = buf.readerIndex(), to = buf.writerIndex();
    bytes.addAndGet(to - pos);
    reads.incrementAndGet();
    long now = System.currentTimeMillis();
    while (pos < to) {
      int nl = buf.indexOf(pos, to, (byte) '\n');
      int end = nl < 0 ? to : nl;
      if (lineLength == 0) keepLine = wantsData(); // an event: line comes before its data
      int take = Math.min(end - pos, HEAD - headLength);
      if (take > 0) {
        buf.getBytes(pos, head, headLength, take);
        headLength += take;
      }
      if (keepLine) {
        byte[] rest = new byte[end - pos];
        buf.getBytes(pos, rest);
        fullLine.writeBytes(rest);
      }
      lineLength += end - pos;
      if (nl < 0) break;
      onLine(now);
      headLength = 0;
      lineLength = 0;
      keepLine = false;
      fullLine.reset();
      pos = nl + 1;
    }
  }

  private boolean wantsData() {
    return !withData.isEmpty() && withData.contains(type == null ? "message" : type);
  }

  private boolean startsWith(String prefix) {
    if (headLength < prefix.length()) return false;
    for (int i = 0; i < prefix.length(); i++) if (head[i] != prefix.charAt(i)) return false;
    return true;
  }

  private void onLine(long now) {
    if (headLength > 0 && head[headLength - 1] == '\r') headLength--;
    if (headLength == 0) {
      if (hasData) {
        events.incrementAndGet();
        listener.onEvent(type == null ? "message" : type, time, data, now);
      }
      type = null;
      time = -1;
      data = null;
      hasData = false;
    } else if (startsWith("id:")) {
      String id = new String(head, 3, headLength - 3, StandardCharsets.UTF_8).trim();
      lastId = id.chars().allMatch(Character::isDigit) && !id.isEmpty() ? Long.parseLong(id) : -1;
    } else if (startsWith("event:")) {
      type = new String(head, 6, headLength - 6, StandardCharsets.UTF_8).trim();
    } else if (startsWith("data:")) {
      if (!hasData) time = timeIn(head, headLength);
      if (keepLine) {
        // Whole line kept: data as the server sent it, less the field name.
        int skip = startsWith("data: ") ? 6 : 5;
        String line = fullLine.toString(StandardCharsets.UTF_8).stripTrailing().substring(skip);
        data = data == null ? line : data + "\n" + line;
      }
      hasData = true;
    }
  }

  /** The number after {@code "time":} in the first bytes of a data line, or -1. */
  static long timeIn(byte[] b, int length) {
    outer:
    for (int i = 0; i + TIME.length < length; i++) {
      for (int k = 0; k < TIME.length; k++) if (b[i + k] != TIME[k]) continue outer;
      long v = 0;
      int j = i + TIME.length;
      if (j >= length || b[j] < '0' || b[j] > '9') return -1;
      while (j < length && b[j] >= '0' && b[j] <= '9') v = v * 10 + (b[j++] - '0');
      return v;
    }
    return -1;
  }

  /** The last numeric {@code id} received (a run's events carry their seq), or -1. */
  public long lastId() {
    return lastId;
  }

  public long events() {
    return events.get();
  }

  public long bytes() {
    return bytes.get();
  }

  /** Buffers received: fewer than events when the server writes several events at once. */
  public long reads() {
    return reads.get();
  }

  /** Waits for the server to end the stream. */
  public boolean await(Duration timeout) throws InterruptedException {
    return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    subscription.dispose();
  }
}
