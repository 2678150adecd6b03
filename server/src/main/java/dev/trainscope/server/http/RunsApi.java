package dev.trainscope.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.server.json.EventCodec;
import dev.trainscope.server.json.JsonInputException;
import dev.trainscope.server.log.RunMeta;
import dev.trainscope.server.runs.Run;
import dev.trainscope.server.runs.RunManager;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.Map;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/** {@code /api/runs}: create, list, show and control runs. */
final class RunsApi {
  private static final List<String> EXTERNAL_FIELDS =
      List.of("name", "model", "params", "controllable");
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

  /**
   * {@code GET /api/runs}: summaries, newest first; {@code ?sweep=&state=&q=} filter them (AND).
   */
  Publisher<Void> list(Exchange ex) {
    ex.requireWellFormedQuery();
    RunFilter filter =
        RunFilter.of(ex.queryParam("sweep"), ex.queryParam("state"), ex.queryParam("q"));
    return json.ok(
        ex.response(), runs.list().stream().map(Run::summary).filter(filter::matches).toList());
  }

  /** {@code GET /api/runs/{id}}: summary, config and model. */
  Publisher<Void> show(Exchange ex) {
    return json.ok(ex.response(), find(ex.param(0)).detail());
  }

  /**
   * {@code POST /api/runs}: a config (every field optional) starts a run; {@code {"external": true,
   * "name": .., "model": {..}}} creates a run another process trains and pushes. 201 and Location.
   */
  Publisher<Void> create(Exchange ex) {
    return Bodies.read(ex.request(), maxBodyBytes)
        .defaultIfEmpty(new byte[0])
        .map(this::request)
        .flatMap(request -> BlockingWrites.call(runs.diskScheduler(), () -> start(request)))
        .flatMap(
            run -> {
              ex.response().header("Location", "/api/runs/" + run.id());
              return Mono.from(json.send(ex.response(), HttpResponseStatus.CREATED, run.summary()));
            });
  }

  /** What a create body asks for: a config to train, or an external run. */
  private record CreateRequest(
      TrainingConfig config,
      String name,
      TrainingEvent.ModelInfo model,
      Map<String, Object> params,
      boolean controllable) {}

  private CreateRequest request(byte[] body) {
    JsonNode tree = null;
    try {
      tree = body.length == 0 ? null : codec.mapper().readTree(body);
    } catch (java.io.IOException e) {
      // malformed: decodeConfig reports it with its position
    }
    JsonNode external = tree instanceof ObjectNode o ? o.get("external") : null;
    if (external == null)
      return new CreateRequest(codec.decodeConfig(body), null, null, null, false);
    if (!external.isBoolean()) {
      throw new JsonInputException(
          "external", "external: true or false required but was " + external);
    }
    ObjectNode rest = ((ObjectNode) tree).deepCopy();
    rest.remove("external");
    if (!external.booleanValue())
      return new CreateRequest(codec.decodeConfig(rest), null, null, null, false);
    var fields = rest.fieldNames();
    while (fields.hasNext()) {
      String f = fields.next();
      if (!EXTERNAL_FIELDS.contains(f)) {
        throw new JsonInputException(
            f,
            "unknown field \""
                + f
                + "\": an external run takes only "
                + String.join(", ", EXTERNAL_FIELDS));
      }
    }
    JsonNode controllable = rest.get("controllable");
    if (controllable != null && !controllable.isNull() && !controllable.isBoolean()) {
      throw new JsonInputException(
          "controllable", "controllable: true or false required but was " + controllable);
    }
    JsonNode name = rest.get("name");
    if (name != null && !name.isNull() && !name.isTextual()) {
      throw new JsonInputException("name", "name: a string required but was " + name.getNodeType());
    }
    return new CreateRequest(
        null,
        name == null || name.isNull() ? null : name.asText(),
        model(rest.get("model")),
        ExternalParams.parse(rest.get("params")),
        controllable != null && controllable.asBoolean(false));
  }

  private TrainingEvent.ModelInfo model(JsonNode node) {
    if (node == null || node.isNull()) return null;
    if (!(node instanceof ObjectNode o)) {
      throw new JsonInputException(
          "model", "model: an object required but was " + node.getNodeType());
    }
    ObjectNode m = o.deepCopy();
    if (!m.hasNonNull("layers")) m.putArray("layers");
    try {
      return codec.mapper().treeToValue(m, TrainingEvent.ModelInfo.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
      String what = e.getMessage() == null ? "" : e.getMessage();
      int nl = what.indexOf('\n');
      if (nl > 0) what = what.substring(0, nl);
      throw new JsonInputException(
          "model",
          "model: {inputs, layers: [{index, inputs, units, activation, parameters}], parameters, loss} required: "
              + what);
    }
  }

  private Run start(CreateRequest request) {
    try {
      return request.config() != null
          ? runs.start(request.config())
          : runs.createExternal(
              request.name(),
              request.model(),
              RunMeta.PUSHED,
              request.params(),
              request.controllable());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * {@code POST /api/runs/{id}/(pause|resume|step|stop)}: the new state; 409 once finished, and for
   * an external run (its trainer controls it).
   */
  Publisher<Void> control(Exchange ex) {
    Run run = find(ex.param(0));
    String action = ex.param(1);
    return BlockingWrites.call(runs.diskScheduler(), () -> runs.control(run, action))
        .flatMap(
            done -> {
              if (!done) {
                throw new ApiException(
                    HttpResponseStatus.CONFLICT,
                    "run "
                        + run.id()
                        + " has already finished ("
                        + run.state()
                        + "); cannot "
                        + action);
              }
              return Mono.from(json.ok(ex.response(), run.summary()));
            });
  }

  private Run find(String id) {
    return runs.find(id).orElseThrow(() -> ApiException.notFound("run " + id));
  }
}
