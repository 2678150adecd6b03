package dev.trainscope.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainscope.engine.WeightEdit;
import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.server.log.RunStates;
import dev.trainscope.server.runs.Run;
import dev.trainscope.server.runs.RunManager;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * {@code POST /api/runs/{id}/weights}: sets one weight or bias of a paused engine run. The edit is
 * queued on the run's control; the training thread applies it at its epoch boundary and records it
 * as {@code weights-edited}, so this thread never touches the network.
 */
final class WeightsApi {
  private final RunManager runs;
  private final ObjectMapper mapper;
  private final Json json;
  private final int maxBodyBytes;

  WeightsApi(RunManager runs, ObjectMapper mapper, Json json, int maxBodyBytes) {
    this.runs = runs;
    this.mapper = mapper;
    this.json = json;
    this.maxBodyBytes = maxBodyBytes;
  }

  Publisher<Void> edit(Exchange ex) {
    Run run = runs.find(ex.param(0)).orElseThrow(() -> ApiException.notFound("run " + ex.param(0)));
    return Bodies.read(ex.request(), maxBodyBytes)
        .defaultIfEmpty(new byte[0])
        .flatMap(
            body -> {
              WeightEdit edit = parse(body);
              TrainingEvent.ModelInfo model = ready(run);
              edit.checkAgainst(model);
              run.editWeight(edit);
              Map<String, Object> out = new LinkedHashMap<>();
              out.put("run", run.id());
              out.put("layer", edit.layer());
              out.put("unit", edit.unit());
              if (edit.bias()) out.put("bias", true);
              else out.put("input", edit.input());
              out.put("value", edit.value());
              out.put("state", run.state());
              return Mono.from(json.send(ex.response(), HttpResponseStatus.ACCEPTED, out));
            });
  }

  /** The run's model, when the run is an engine run that is paused; else 409. */
  private static TrainingEvent.ModelInfo ready(Run run) {
    if (run.isExternal()) {
      throw conflict("run " + run.id() + " is external: its weights are its trainer's");
    }
    String state = run.state();
    TrainingEvent.ModelInfo model = run.model();
    if (!RunStates.PAUSED.equals(state) || !run.isEditable() || model == null) {
      throw conflict(
          "run " + run.id() + " is " + state + "; weights can be edited only while it is paused");
    }
    return model;
  }

  private static ApiException conflict(String message) {
    return new ApiException(HttpResponseStatus.CONFLICT, message);
  }

  private WeightEdit parse(byte[] body) {
    JsonNode tree;
    try {
      tree = body.length == 0 ? null : mapper.readTree(body);
    } catch (IOException e) {
      throw new ApiException(HttpResponseStatus.BAD_REQUEST, "body: malformed JSON", "body");
    }
    if (tree == null || !tree.isObject()) {
      throw new ApiException(
          HttpResponseStatus.BAD_REQUEST,
          "body: a JSON object {\"layer\", \"unit\", \"input\" | \"bias\": true, \"value\"}"
              + " required",
          "body");
    }
    boolean bias = tree.path("bias").asBoolean(false);
    if (tree.has("bias") && !tree.get("bias").isBoolean()) {
      throw bad("bias", "bias true or false required but was " + tree.get("bias"));
    }
    Integer input = tree.has("input") && !tree.get("input").isNull() ? index(tree, "input") : null;
    if (bias && input != null) throw bad("input", "input or bias true required, not both");
    if (!bias && input == null) throw bad("input", "input (an index) or bias true required");
    JsonNode value = tree.get("value");
    if (value == null || !value.isNumber()) {
      throw bad("value", "value a finite number required but was " + value);
    }
    return new WeightEdit(index(tree, "layer"), index(tree, "unit"), input, bias, value.asDouble());
  }

  private static int index(JsonNode tree, String field) {
    JsonNode v = tree.get(field);
    if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) {
      throw bad(field, field + " an integer index required but was " + v);
    }
    return v.intValue();
  }

  private static ApiException bad(String field, String message) {
    return new ApiException(HttpResponseStatus.BAD_REQUEST, message, field);
  }
}
