package dev.trainscope.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainscope.engine.ProbeChoice;
import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.server.log.RunStates;
import dev.trainscope.server.runs.Run;
import dev.trainscope.server.runs.RunManager;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * {@code POST /api/runs/{id}/probe}: chooses the sample an engine run traces, running or paused.
 * Like a weight edit, the choice is queued on the run's control and the training thread takes it at
 * its next epoch boundary.
 */
final class ProbeApi {
  private final RunManager runs;
  private final ObjectMapper mapper;
  private final Json json;
  private final int maxBodyBytes;

  ProbeApi(RunManager runs, ObjectMapper mapper, Json json, int maxBodyBytes) {
    this.runs = runs;
    this.mapper = mapper;
    this.json = json;
    this.maxBodyBytes = maxBodyBytes;
  }

  Publisher<Void> choose(Exchange ex) {
    Run run = runs.find(ex.param(0)).orElseThrow(() -> ApiException.notFound("run " + ex.param(0)));
    return Bodies.read(ex.request(), maxBodyBytes)
        .defaultIfEmpty(new byte[0])
        .flatMap(
            body -> {
              ProbeChoice choice = parse(body);
              choice.checkAgainst(ready(run));
              run.chooseProbe(choice);
              Map<String, Object> out = new LinkedHashMap<>();
              out.put("run", run.id());
              if (choice.input() != null) out.put("input", choice.input());
              else {
                out.put("split", choice.split());
                out.put("index", choice.index());
              }
              out.put("state", run.state());
              return Mono.from(json.send(ex.response(), HttpResponseStatus.ACCEPTED, out));
            });
  }

  /** The run's data set, when the engine trains the run here and it has started; else 409. */
  private static TrainingEvent.DatasetInfo ready(Run run) {
    if (run.isExternal()) {
      throw conflict("run " + run.id() + " is external: its trainer traces what it traces");
    }
    String state = run.state();
    TrainingEvent.DatasetInfo data = run.datasetInfo();
    if (RunStates.isFinal(state) || !run.isEditable()) {
      throw conflict(
          "run " + run.id() + " is " + state + "; a probe can be chosen while it trains");
    }
    if (data == null) {
      throw conflict("run " + run.id() + " is " + state + "; choose a probe once it has started");
    }
    return data;
  }

  private static ApiException conflict(String message) {
    return new ApiException(HttpResponseStatus.CONFLICT, message);
  }

  private ProbeChoice parse(byte[] body) {
    JsonNode tree;
    try {
      tree = body.length == 0 ? null : mapper.readTree(body);
    } catch (IOException e) {
      throw new ApiException(HttpResponseStatus.BAD_REQUEST, "body: malformed JSON", "body");
    }
    if (tree == null || !tree.isObject()) {
      throw bad(
          "body",
          "body: a JSON object {\"split\": \"train\" | \"validation\", \"index\"} or {\"input\":"
              + " [...]} required");
    }
    JsonNode input = tree.get("input");
    if (input != null && !input.isNull()) {
      if (tree.has("split")) throw bad("split", "input or split and index required, not both");
      if (!input.isArray())
        throw bad("input", "input an array of numbers required but was " + input);
      List<Double> values = new ArrayList<>();
      for (int i = 0; i < input.size(); i++) {
        JsonNode v = input.get(i);
        if (!v.isNumber()) throw bad("input", "input[" + i + "] a number required but was " + v);
        values.add(v.asDouble());
      }
      return ProbeChoice.input(values);
    }
    JsonNode split = tree.get("split");
    if (split == null || !split.isTextual()) {
      throw bad("split", "split \"train\" or \"validation\" (with index), or input, required");
    }
    JsonNode index = tree.get("index");
    if (index == null || !index.isIntegralNumber() || !index.canConvertToInt()) {
      throw bad("index", "index an integer required but was " + index);
    }
    return ProbeChoice.sample(split.asText(), index.intValue());
  }

  private static ApiException bad(String field, String message) {
    return new ApiException(HttpResponseStatus.BAD_REQUEST, message, field);
  }
}
