package dev.trainscope.bench;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.core.Disposable;
import reactor.netty.http.client.HttpClient;

/**
 * A minimal SSE subscriber over reactor-netty: splits the byte stream into lines, assembles frames
 * ({@code id}, {@code event}, {@code data}) and hands each event to a listener together with the
 * wall-clock time of receipt. Loopback only; bounded by the caller's timeout.
 */
public final class SseClient implements AutoCloseable {
  /** Called once per received event, on a netty thread. */
  public interface Listener {
    void onEvent(String type, String data, long receivedMillis);
  }

  private static final Pattern TIME = Pattern.compile("\"time\":(\\d+)");

  private byte[] line = new byte[256];
  private byte[] chunk = new byte[8192];
  private int lineLength;
  private String type;
  private final StringBuilder data = new StringBuilder();
  private boolean hasData;
  private final Listener listener;
  private final CountDownLatch done = new CountDownLatch(1);
  private final AtomicLong events = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final Disposable subscription;

  public SseClient(HttpClient client, String uri, Listener listener) {
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

  /** The event's {@code time} field (engine emission time), or -1. */
  public static long timeOf(String data) {
    Matcher m = TIME.matcher(data);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  /** Splits the bytes into lines without copying them into strings first. */
  private synchronized void feed(ByteBuf buf) {
    int from = buf.readerIndex(), to = buf.writerIndex();
    bytes.addAndGet(to - from);
    long now = System.currentTimeMillis();
    // One bulk copy: ByteBuf.getByte checks the buffer's reference count on every call, which made
    // this client, not the server, the hot spot of the latency runs.
    if (chunk.length < to - from) chunk = new byte[to - from];
    buf.getBytes(from, chunk, 0, to - from);
    for (int k = 0; k < to - from; k++) {
      byte c = chunk[k];
      if (c == '\n') {
        onLine(now);
        lineLength = 0;
      } else if (c != '\r') {
        if (lineLength == line.length) line = java.util.Arrays.copyOf(line, line.length * 2);
        line[lineLength++] = c;
      }
    }
  }

  private boolean lineStartsWith(String prefix) {
    if (lineLength < prefix.length()) return false;
    for (int i = 0; i < prefix.length(); i++) if (line[i] != prefix.charAt(i)) return false;
    return true;
  }

  private void onLine(long now) {
    if (lineLength == 0) {
      if (hasData) {
        events.incrementAndGet();
        listener.onEvent(type == null ? "message" : type, data.toString(), now);
      }
      type = null;
      hasData = false;
      data.setLength(0);
    } else if (lineStartsWith("event:")) {
      type = new String(line, 6, lineLength - 6, StandardCharsets.UTF_8).trim();
    } else if (lineStartsWith("data:")) {
      int skip = lineStartsWith("data: ") ? 6 : 5;
      if (hasData) data.append('\n');
      data.append(new String(line, skip, lineLength - skip, StandardCharsets.UTF_8));
      hasData = true;
    }
  }

  public long events() {
    return events.get();
  }

  public long bytes() {
    return bytes.get();
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
