package dev.trainscope.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.server.json.EventCodec;
import dev.trainscope.server.json.PushedEvents;
import dev.trainscope.server.runs.Run;
import dev.trainscope.server.runs.RunManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * The push API for trainers in other processes: {@code POST /api/runs/{id}/events} (one event, an
 * array, or NDJSON) and {@code POST /api/runs/{id}/finish}. Bodies are read on the event loop,
 * validated and appended on the disk scheduler, where a client that goes away cannot interrupt the
 * write ({@link BlockingWrites}).
 */
final class ExternalRunsApi {
  private final RunManager runs;
  private final EventCodec codec;
  private final Json json;
  private final int maxBodyBytes;

  ExternalRunsApi(RunManager runs, EventCodec codec, Json json, int maxBodyBytes) {
    this.runs = runs;
    this.codec = codec;
    this.json = json;
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * {@code POST /api/runs/{id}/events}: 200 {@code {"run","accepted","nextSeq","state"}} (and
   * {@code "control"}, pause, stop or null, for a controllable run); 400 naming {@code
   * events[i].field} (nothing of the batch stored); 409 once the run has finished.
   */
  Publisher<Void> push(Exchange ex) {
    Run run = find(ex.param(0));
    String contentType = ex.header("Content-Type");
    return Bodies.read(ex.request(), maxBodyBytes)
        .defaultIfEmpty(new byte[0])
        .map(body -> PushedEvents.parse(body, contentType))
        .flatMap(nodes -> BlockingWrites.call(runs.diskScheduler(), () -> append(run, nodes)))
        .flatMap(
            events -> {
              ObjectNode body = codec.mapper().createObjectNode();
              body.put("run", run.id());
              body.put("accepted", events.size());
              body.put("nextSeq", events.get(events.size() - 1).seq() + 1);
              body.put("state", run.state());
              // null is an answer here ("carry on"), so it is sent, not left out
              if (run.isControllable()) body.put("control", run.controlRequest());
              return Mono.from(json.ok(ex.response(), body));
            });
  }

  private List<TrainingEvent> append(Run run, List<JsonNode> nodes) {
    try {
      return runs.appendExternal(
          run,
          base ->
              PushedEvents.decode(
                  codec, run.id(), base, runs.clock().getAsLong(), lastEpoch(run), nodes));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int lastEpoch(Run run) {
    Integer e = run.summary().lastEpoch();
    return e == null ? 0 : e;
  }

  /**
   * {@code POST /api/runs/{id}/finish}: appends {@code run-completed}; the summary; 409 if done.
   */
  Publisher<Void> finish(Exchange ex) {
    Run run = find(ex.param(0));
    return BlockingWrites.call(runs.diskScheduler(), () -> runs.finishExternal(run))
        .flatMap(r -> Mono.from(json.ok(ex.response(), r.summary())));
  }

  private Run find(String id) {
    return runs.find(id).orElseThrow(() -> ApiException.notFound("run " + id));
  }
}
