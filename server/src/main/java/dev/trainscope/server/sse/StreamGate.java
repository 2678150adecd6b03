package dev.trainscope.server.sse;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.netty.Connection;

/**
 * Bounds what the server holds for each event stream, and closes streams whose client has stopped
 * reading.
 *
 * <p>Reactor Netty's {@code send} requests up to 128 buffers ahead ({@code
 * reactor.netty.send.maxPrefetchSize}) and writes every one it gets into the connection's outbound
 * buffer whether the client reads or not: for a client that reads nothing, 128 batches of up to 16
 * KiB, about 2 MiB of direct memory per stream, so a few hundred such clients exhausted a 256 MB
 * server. The gate hands the sender the next buffer only once the previous one is in the outbound
 * buffer and that buffer is below its high-water mark ({@value #HIGH_WATER} bytes). So a stream
 * holds, beyond the kernel's socket buffer, at most {@value #BUDGET_BYTES} bytes plus two events:
 * the high-water mark, the batch that crossed it and one batch read ahead, each batch at most 16
 * KiB and one event. With at most {@code maxStreams} streams, that bounds the total too.
 *
 * <p>A stream that cannot take a buffer for {@code stallLimit} (its client reads nothing, so the
 * outbound buffer stays above its low-water mark) is closed. The client has received every frame up
 * to some event, and resumes after it with {@code Last-Event-ID}: nothing is lost.
 */
public final class StreamGate {
  private static final Logger log = LoggerFactory.getLogger(StreamGate.class);
  static final int LOW_WATER = 16 * 1024;
  static final int HIGH_WATER = 32 * 1024;

  /** Bytes one stream may hold beyond the socket buffer (plus up to two events). */
  public static final int BUDGET_BYTES = 64 * 1024;

  private static final String RELAY = "trainscope.writability";

  private final long stallNanos;
  private final int maxStreams;
  private final Set<Gate<?>> open = ConcurrentHashMap.newKeySet();
  private final AtomicLong stalledClosed = new AtomicLong();

  public StreamGate(Duration stallLimit, int maxStreams) {
    this.stallNanos = stallLimit.toNanos();
    this.maxStreams = maxStreams;
  }

  /** True while fewer than {@code maxStreams} streams are open: another one may start. */
  public boolean admits() {
    return open.size() < maxStreams;
  }

  public int maxStreams() {
    return maxStreams;
  }

  /** Bytes waiting in the outbound buffers of all open streams now. */
  public long queuedBytes() {
    long sum = 0;
    for (Gate<?> g : open) sum += g.pending();
    return sum;
  }

  /** Streams waiting for their client to read. */
  public int stalledStreams() {
    int n = 0;
    for (Gate<?> g : open) if (g.stalledSince != 0) n++;
    return n;
  }

  /** Streams closed since start because their client read nothing for the stall limit. */
  public long stalledClosed() {
    return stalledClosed.get();
  }

  /**
   * {@code source} as the connection can take it: each item is requested only when the previous one
   * has been written and the connection is writable. The connection gets this stream's water marks.
   */
  public <T> Flux<T> gate(Connection connection, Flux<T> source) {
    Channel channel = connection.channel();
    return new Flux<T>() {
      @Override
      public void subscribe(CoreSubscriber<? super T> actual) {
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(LOW_WATER, HIGH_WATER));
        Relay relay = (Relay) channel.pipeline().get(RELAY);
        if (relay == null) {
          relay = new Relay();
          connection.addHandlerLast(RELAY, relay);
        }
        source.subscribe(new Gate<>(actual, channel, relay));
      }
    };
  }

  /** Tells the connection's current stream that it became writable (or not). */
  private static final class Relay extends ChannelInboundHandlerAdapter {
    volatile Runnable listener;

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      Runnable l = listener;
      if (l != null) l.run();
      ctx.fireChannelWritabilityChanged();
    }
  }

  private final class Gate<T> implements CoreSubscriber<T>, Subscription {
    final CoreSubscriber<? super T> actual;
    final Channel channel;
    final EventLoop loop;
    final Relay relay;
    final Runnable drain = this::drain;
    final Runnable wake = this::onLoop;
    final AtomicLong demand = new AtomicLong();
    final AtomicInteger wip = new AtomicInteger();
    final AtomicBoolean timerArmed = new AtomicBoolean();
    Subscription upstream;
    volatile boolean inFlight;
    volatile boolean stopped;

    /** {@code System.nanoTime()} when it began waiting for the client to read; 0 while not. */
    volatile long stalledSince;

    Gate(CoreSubscriber<? super T> actual, Channel channel, Relay relay) {
      this.actual = actual;
      this.channel = channel;
      this.loop = channel.eventLoop();
      this.relay = relay;
    }

    long pending() {
      ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
      return out == null ? 0 : out.totalPendingWriteBytes();
    }

    @Override
    public void onSubscribe(Subscription s) {
      if (Operators.validate(upstream, s)) {
        upstream = s;
        open.add(this);
        relay.listener = wake;
        actual.onSubscribe(this);
      }
    }

    @Override
    public void onNext(T t) {
      inFlight = false;
      demand.decrementAndGet();
      actual.onNext(t);
      // After the sender's write: on the event loop it has run already; from another thread the
      // sender queued its write on the loop, and this drain runs behind it.
      onLoop();
    }

    @Override
    public void onError(Throwable t) {
      stop();
      actual.onError(t);
    }

    @Override
    public void onComplete() {
      stop();
      actual.onComplete();
    }

    @Override
    public void request(long n) {
      if (Operators.validate(n)) {
        demand.accumulateAndGet(n, Operators::addCap);
        onLoop();
      }
    }

    @Override
    public void cancel() {
      stop();
      upstream.cancel();
    }

    private void stop() {
      stopped = true;
      open.remove(this);
      if (relay.listener == wake) relay.listener = null;
    }

    private void onLoop() {
      if (loop.inEventLoop()) drain();
      else loop.execute(drain);
    }

    /** On the event loop only: asks for one more item when the connection can take it. */
    private void drain() {
      if (wip.getAndIncrement() != 0) return;
      int missed = 1;
      do {
        if (!stopped && !inFlight && demand.get() > 0) {
          if (channel.isWritable()) {
            stalledSince = 0;
            inFlight = true;
            upstream.request(1);
          } else if (stalledSince == 0) {
            stalledSince = System.nanoTime();
            armTimer(stallNanos);
          }
        }
        missed = wip.addAndGet(-missed);
      } while (missed != 0);
    }

    private void armTimer(long nanos) {
      if (timerArmed.compareAndSet(false, true)) {
        loop.schedule(this::checkStall, nanos, TimeUnit.NANOSECONDS);
      }
    }

    private void checkStall() {
      timerArmed.set(false);
      long since = stalledSince;
      if (stopped || since == 0) return;
      if (channel.isWritable()) {
        drain();
        return;
      }
      long waited = System.nanoTime() - since;
      if (waited < stallNanos) {
        armTimer(stallNanos - waited);
        return;
      }
      stalledClosed.incrementAndGet();
      log.info(
          "Closing an event stream to {}: its client read nothing for {} s",
          channel.remoteAddress(),
          TimeUnit.NANOSECONDS.toSeconds(waited));
      channel.close();
    }
  }
}
