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
 * A minimal SSE subscriber over reactor-netty: splits the byte stream into lines, assembles
 * frames ({@code id}, {@code event}, {@code data}) and hands each event to a listener together
 * with the wall-clock time of receipt. Loopback only; bounded by the caller's timeout.
 */
public final class SseClient implements AutoCloseable {
  /** Called once per received event, on a netty thread. */
  public interface Listener {
    void onEvent(String type, String data, long receivedMillis);
  }

  private static final Pattern TIME = Pattern.compile("\"time\":(\\d+)");

  private final StringBuilder line = new StringBuilder();
  private String type;
  private final StringBuilder data = new StringBuilder();
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

  private synchronized void feed(ByteBuf buf) {
    int n = buf.readableBytes();
    bytes.addAndGet(n);
    byte[] raw = new byte[n];
    buf.getBytes(buf.readerIndex(), raw);
    String chunk = new String(raw, StandardCharsets.UTF_8);
    long now = System.currentTimeMillis();
    for (int i = 0; i < chunk.length(); i++) {
      char c = chunk.charAt(i);
      if (c == '\n') {
        onLine(line.toString(), now);
        line.setLength(0);
      } else if (c != '\r') {
        line.append(c);
      }
    }
  }

  private void onLine(String l, long now) {
    if (l.isEmpty()) {
      if (data.length() > 0) {
        events.incrementAndGet();
        listener.onEvent(type == null ? "message" : type, data.toString(), now);
      }
      type = null;
      data.setLength(0);
    } else if (l.startsWith("event:")) {
      type = l.substring(6).trim();
    } else if (l.startsWith("data:")) {
      if (data.length() > 0) data.append('\n');
      data.append(l.substring(l.startsWith("data: ") ? 6 : 5));
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
