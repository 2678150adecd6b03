package dev.trainscope.server.http;

import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.server.json.EventCodec;
import dev.trainscope.server.log.LogLine;
import dev.trainscope.server.runs.Run;
import dev.trainscope.server.runs.RunManager;
import dev.trainscope.server.sse.SharedFrame;
import dev.trainscope.server.sse.SseEncoder;
import dev.trainscope.server.sse.SseFrame;
import dev.trainscope.server.sse.StreamGate;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.netty.Connection;
import reactor.netty.http.server.HttpServerResponse;

/** The event streams: per run as SSE or NDJSON, and all runs as one SSE stream. */
final class StreamsApi {
  /** Marks the end of a stream's events; never written. */
  private static final ByteBuf END = Unpooled.unreleasableBuffer(Unpooled.buffer(1));

  private static final SharedFrame KEEP_ALIVE = SharedFrame.of(SseEncoder.comment("keep-alive"));
  private static final String SSE = "text/event-stream; charset=utf-8";
  private final RunManager runs;
  private final EventCodec codec;
  private final Duration keepAlive;
  private final Duration retry;
  private final AtomicInteger openStreams = new AtomicInteger();
  private final StreamGate gate;

  StreamsApi(
      RunManager runs, EventCodec codec, Duration keepAlive, Duration retry, StreamGate gate) {
    this.runs = runs;
    this.codec = codec;
    this.keepAlive = keepAlive;
    this.retry = retry;
    this.gate = gate;
  }

  int openStreams() {
    return openStreams.get();
  }

  /**
   * {@code GET /api/runs/{id}/events}: replay from the log then live; resumes after {@code
   * Last-Event-ID} or {@code ?after=}; {@code ?types=} filters; 204 when nothing is left.
   */
  Publisher<Void> sse(Exchange ex) {
    Run run = find(ex.param(0));
    long from = resumeFrom(ex);
    Set<String> types = types(ex);
    if (run.log().isFinished() && from >= run.log().size()) {
      return ex.response().status(HttpResponseStatus.NO_CONTENT).send();
    }
    Publisher<Void> head = headOnly(ex, SSE, "no-cache");
    if (head != null) return head;
    admit();
    Flux<ByteBuf> events = runs.batches(run, from, types, Long.MAX_VALUE).map(StreamsApi::frames);
    return sendSse(ex.response(), events);
  }

  /**
   * One buffer per batch, so a backlog goes out in a few large writes. Live lines, which every
   * subscriber that keeps up gets as the same batch, go out as frames encoded once for all of them;
   * lines read back from the file for one subscriber are encoded for it alone.
   */
  private static ByteBuf frames(List<LogLine> batch) {
    LogLine last = batch.get(batch.size() - 1);
    if (last.isShared()) {
      SharedFrame shared = batch.size() == 1 ? last.sharedFrame() : last.batchFrame(batch);
      if (shared != null) return shared.buffer();
    }
    int size = 0;
    for (LogLine l : batch) size += l.json().length + 48;
    ByteArrayOutputStream frames = new ByteArrayOutputStream(size);
    for (LogLine l : batch) l.writeSseFrame(frames);
    return Unpooled.wrappedBuffer(frames.toByteArray());
  }

  /**
   * A batch of one run's lines as {@code /api/events} frames: a live line's frame is encoded once
   * for every subscriber of the run list (a hundred dashboard tabs used to encode each event a
   * hundred times); a burst's frames go out in one write.
   */
  private static ByteBuf allRunsFrames(List<LogLine> batch) {
    if (batch.size() == 1 && batch.get(0).isShared()) {
      return batch.get(0).allRunsFrame().buffer();
    }
    int size = 0;
    for (LogLine l : batch) size += l.json().length + 64;
    ByteArrayOutputStream frames = new ByteArrayOutputStream(size);
    for (LogLine l : batch) {
      SseEncoder.writeEvent(frames, l.runId() + ":" + l.seq(), l.type(), l.json());
    }
    return Unpooled.wrappedBuffer(frames.toByteArray());
  }

  /**
   * {@code GET /api/runs/{id}/control}: what a controllable run's trainer is asked to do, as SSE
   * {@code control} events ({@code {"control": "pause" | "stop" | null}}): the current request,
   * then each change; ends when the run does. 409 for a run that is not controllable.
   */
  Publisher<Void> control(Exchange ex) {
    Run run = find(ex.param(0));
    if (!run.isControllable()) {
      throw new ApiException(
          HttpResponseStatus.CONFLICT,
          "run " + run.id() + " is not controllable: create it with \"controllable\": true",
          null);
    }
    Publisher<Void> head = headOnly(ex, SSE, "no-cache");
    if (head != null) return head;
    admit();
    // Read the log's size before the request: a change in between is sent twice, never lost.
    long from = run.log().size();
    String now = run.controlRequest();
    Flux<ByteBuf> changes =
        runs.lines(run, from, Set.of(TrainingEvent.Status.TYPE))
            .map(l -> controlFrame(l.seq(), Run.controlOf((TrainingEvent.Status) decode(l))))
            .startWith(controlFrame(from - 1, now))
            .map(Unpooled::wrappedBuffer);
    return sendSse(ex.response(), changes);
  }

  private TrainingEvent decode(LogLine line) {
    return codec.decode(new String(line.json(), StandardCharsets.UTF_8));
  }

  private byte[] controlFrame(long seq, String control) {
    byte[] data =
        control == null
            ? "{\"control\":null}".getBytes(StandardCharsets.UTF_8)
            : ("{\"control\":\"" + control + "\"}").getBytes(StandardCharsets.UTF_8);
    return SseEncoder.event(Long.toString(seq), "control", data);
  }

  /** {@code GET /api/events}: every run's events from now on, ids {@code <runId>:<seq>}. */
  Publisher<Void> sseAll(Exchange ex) {
    Set<String> types = types(ex);
    Publisher<Void> head = headOnly(ex, SSE, "no-cache");
    if (head != null) return head;
    admit();
    Flux<ByteBuf> events = runs.allBatches(types).map(StreamsApi::allRunsFrames);
    return sendSse(ex.response(), events);
  }

  /**
   * {@code GET /api/runs/{id}/events.ndjson}: the stored events; {@code ?follow=true} goes on live.
   */
  Publisher<Void> ndjson(Exchange ex) {
    Run run = find(ex.param(0));
    long from = resumeFrom(ex);
    Set<String> types = types(ex);
    boolean follow = "true".equalsIgnoreCase(ex.queryParam("follow"));
    Publisher<Void> head = headOnly(ex, "application/x-ndjson", "no-store");
    if (head != null) return head;
    admit();
    Flux<LogLine> lines =
        follow ? runs.lines(run, from, types) : runs.lines(run, from, types, run.log().size());
    Flux<ByteBuf> body =
        lines.map(
            l -> {
              byte[] b = Arrays.copyOf(l.json(), l.json().length + 1);
              b[b.length - 1] = '\n';
              return Unpooled.wrappedBuffer(b);
            });
    return ex.response()
        .status(HttpResponseStatus.OK)
        .header("Content-Type", "application/x-ndjson")
        .header("Cache-Control", "no-store")
        .send(tracked(gated(ex.response(), body), Function.identity()));
  }

  /**
   * Sends frames as they come, each buffer flushed at once: the stream hands over whole bursts (the
   * events the writer published together) or replay batches, never single events of a burst.
   */
  private Publisher<Void> sendSse(HttpServerResponse res, Flux<ByteBuf> events) {
    Flux<ByteBuf> keepAlives =
        Flux.interval(keepAlive, keepAlive).onBackpressureDrop().map(i -> KEEP_ALIVE.buffer());
    Flux<ByteBuf> frames =
        // Prefetch 1: a client that reads nothing holds one batch here, not merge's default 32.
        Flux.merge(1, events.concatWithValues(END), keepAlives)
            .takeWhile(b -> b != END)
            .startWith(Unpooled.wrappedBuffer(SseEncoder.encode(SseFrame.retry(retry.toMillis()))));
    return res.status(HttpResponseStatus.OK)
        .header("Content-Type", "text/event-stream; charset=utf-8")
        .header("Cache-Control", "no-cache")
        .header("X-Accel-Buffering", "no")
        // Flush after each buffer: each is a whole burst or batch already, and flushing in place
        // saves the extra event-loop task per write that a deferred flush costs.
        .send(tracked(gated(res, frames), Function.identity()), buffer -> true);
  }

  /** The stream at the pace its connection takes it (see {@link StreamGate}). */
  private <T> Flux<T> gated(HttpServerResponse res, Flux<T> body) {
    return Flux.defer(
        () -> {
          Connection[] connection = new Connection[1];
          res.withConnection(c -> connection[0] = c);
          return connection[0] == null ? body : gate.gate(connection[0], body);
        });
  }

  /** 503 when {@code maxStreams} streams are open: the memory all streams hold stays bounded. */
  private void admit() {
    if (!gate.admits()) {
      throw new ApiException(
          HttpResponseStatus.SERVICE_UNAVAILABLE,
          "too many open event streams (the limit is " + gate.maxStreams() + "); retry later",
          null);
    }
  }

  /**
   * For HEAD, the headers GET would send and no body: a live stream's body never ends, so sending
   * it for a HEAD would hold a stream and the connection forever. Null for other methods.
   */
  private static Publisher<Void> headOnly(Exchange ex, String contentType, String cacheControl) {
    if (!ex.request().method().equals(HttpMethod.HEAD)) return null;
    HttpServerResponse res =
        ex.response()
            .status(HttpResponseStatus.OK)
            .header("Content-Type", contentType)
            .header("Cache-Control", cacheControl);
    if (contentType.startsWith("text/event-stream")) res.header("X-Accel-Buffering", "no");
    return res.send();
  }

  private <T> Flux<ByteBuf> tracked(Flux<T> body, Function<T, ByteBuf> toBuf) {
    return Flux.defer(
        () -> {
          openStreams.incrementAndGet();
          return body.map(toBuf).doFinally(s -> openStreams.decrementAndGet());
        });
  }

  /**
   * The seq to start from: after Last-Event-ID (header) or ?after=; 400 unless ASCII digits. A seq
   * too large for a long is past any run's end, so it saturates instead of wrapping to a replay.
   */
  static long resumeFrom(Exchange ex) {
    String last = ex.header("Last-Event-ID");
    String field = "Last-Event-ID";
    if (last == null || last.isBlank()) {
      last = ex.queryParam("after");
      field = "after";
    }
    if (last == null || last.isBlank()) return 0;
    String digits = last.trim();
    // Long.parseLong would also take "+3" and non-ASCII digits.
    if (!digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new ApiException(
          HttpResponseStatus.BAD_REQUEST,
          field + " must be the seq of an event (an integer >= 0) but was \"" + last + "\"",
          field);
    }
    try {
      long seq = Long.parseLong(digits);
      return seq == Long.MAX_VALUE ? Long.MAX_VALUE : seq + 1;
    } catch (NumberFormatException tooLarge) {
      return Long.MAX_VALUE;
    }
  }

  static Set<String> types(Exchange ex) {
    String given = ex.queryParam("types");
    if (given == null || given.isBlank()) return null;
    Set<String> types = new LinkedHashSet<>();
    for (String t : given.split(",")) {
      String type = t.trim();
      if (type.isEmpty()) continue;
      if (!TrainingEvent.TYPES.contains(type)) {
        throw new ApiException(
            HttpResponseStatus.BAD_REQUEST,
            "types: each one of " + TrainingEvent.TYPES + " required but was \"" + type + "\"",
            "types");
      }
      types.add(type);
    }
    return types;
  }

  private Run find(String id) {
    return runs.find(id).orElseThrow(() -> ApiException.notFound("run " + id));
  }
}
