package dev.trainscope.server.http;

import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.server.json.EventCodec;
import dev.trainscope.server.runs.Run;
import dev.trainscope.server.runs.RunManager;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/** {@code /api/runs}: create, list, show and control runs. */
final class RunsApi {
  private final RunManager runs;
  private final EventCodec codec;
  private final Json json;
  private final int maxBodyBytes;

  RunsApi(RunManager runs, EventCodec codec, Json json, int maxBodyBytes) {
    this.runs = runs;
    this.codec = codec;
    this.json = json;
    this.maxBodyBytes = maxBodyBytes;
  }

  /** {@code GET /api/runs}: summaries, newest first. */
  Publisher<Void> list(Exchange ex) {
    return json.ok(ex.response(), runs.list().stream().map(Run::summary).toList());
  }

  /** {@code GET /api/runs/{id}}: summary, config and model. */
  Publisher<Void> show(Exchange ex) {
    return json.ok(ex.response(), find(ex.param(0)).detail());
  }

  /** {@code POST /api/runs}: a config (every field optional) starts a run; 201 and Location. */
  Publisher<Void> create(Exchange ex) {
    return Bodies.read(ex.request(), maxBodyBytes)
        .defaultIfEmpty(new byte[0])
        .map(codec::decodeConfig)
        .publishOn(runs.diskScheduler())
        .map(this::start)
        .flatMap(
            run -> {
              ex.response().header("Location", "/api/runs/" + run.id());
              return Mono.from(json.send(ex.response(), HttpResponseStatus.CREATED, run.summary()));
            });
  }

  private Run start(TrainingConfig config) {
    try {
      return runs.start(config);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** {@code POST /api/runs/{id}/(pause|resume|step|stop)}: the new state; 409 once finished. */
  Publisher<Void> control(Exchange ex) {
    Run run = find(ex.param(0));
    String action = ex.param(1);
    if (!runs.control(run, action)) {
      throw new ApiException(
          HttpResponseStatus.CONFLICT,
          "run " + run.id() + " has already finished (" + run.state() + "); cannot " + action);
    }
    return json.ok(ex.response(), run.summary());
  }

  private Run find(String id) {
    return runs.find(id).orElseThrow(() -> ApiException.notFound("run " + id));
  }
}
