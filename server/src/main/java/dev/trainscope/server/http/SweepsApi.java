package dev.trainscope.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.trainscope.server.json.EventCodec;
import dev.trainscope.server.json.JsonInputException;
import dev.trainscope.server.runs.Run;
import dev.trainscope.server.runs.RunManager;
import dev.trainscope.server.runs.Sweeps;
import dev.trainscope.server.sweep.SweepPlan;
import dev.trainscope.server.sweep.SweepRecord;
import dev.trainscope.server.sweep.SweepSpec;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/** {@code /api/sweeps}: many runs from one request, and what became of them. */
final class SweepsApi {
  private final Sweeps sweeps;
  private final RunManager runs;
  private final EventCodec codec;
  private final Json json;
  private final int maxBodyBytes;

  SweepsApi(Sweeps sweeps, RunManager runs, EventCodec codec, Json json, int maxBodyBytes) {
    this.sweeps = sweeps;
    this.runs = runs;
    this.codec = codec;
    this.json = json;
    this.maxBodyBytes = maxBodyBytes;
  }

  /** What {@code POST /api/sweeps} answers: the sweep and its runs' ids in expansion order. */
  record Created(String id, String name, int size, List<String> varied, List<String> runs) {}

  /** {@code GET /api/sweeps/{id}}: the sweep, its request and its runs' summaries. */
  record Detail(
      String id,
      String name,
      long createdAt,
      int size,
      List<String> varied,
      JsonNode spec,
      List<Run.Summary> runs) {}

  /**
   * {@code POST /api/sweeps}: expands and checks every run before any starts; 201 with Location.
   */
  Publisher<Void> create(Exchange ex) {
    return Bodies.read(ex.request(), maxBodyBytes)
        .defaultIfEmpty(new byte[0])
        .map(this::tree)
        // Expanding and checking up to 1,000 configs is work for the disk pool, not the event loop.
        .flatMap(tree -> BlockingWrites.call(runs.diskScheduler(), () -> start(tree)))
        .flatMap(
            s -> {
              ex.response().header("Location", "/api/sweeps/" + s.id());
              Created body = new Created(s.id(), s.name(), s.size(), s.varied(), s.runs());
              return Mono.from(json.send(ex.response(), HttpResponseStatus.CREATED, body));
            });
  }

  /** {@code GET /api/sweeps}: every sweep, newest first, with its runs' ids. */
  Publisher<Void> list(Exchange ex) {
    return json.ok(ex.response(), sweeps.list());
  }

  Publisher<Void> show(Exchange ex) {
    SweepRecord s =
        sweeps.find(ex.param(0)).orElseThrow(() -> ApiException.notFound("sweep " + ex.param(0)));
    List<Run.Summary> summaries = sweeps.runsOf(s).stream().map(Run::summary).toList();
    return json.ok(
        ex.response(),
        new Detail(s.id(), s.name(), s.createdAt(), s.size(), s.varied(), s.spec(), summaries));
  }

  private SweepRecord start(JsonNode spec) {
    SweepSpec parsed = SweepSpec.parse(spec);
    try {
      return sweeps.create(parsed.name(), SweepPlan.of(parsed, codec), spec);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private JsonNode tree(byte[] body) {
    if (body.length == 0) return MissingNode.getInstance(); // a Mono maps to no null
    try {
      return codec.mapper().readTree(body);
    } catch (JsonProcessingException e) {
      throw new JsonInputException(null, EventCodec.malformed(e, 0));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
