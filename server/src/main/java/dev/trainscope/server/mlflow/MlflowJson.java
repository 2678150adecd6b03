package dev.trainscope.server.mlflow;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * MLflow's entities as its REST API writes them ({@code mlflow/protos/service.proto}: {@code
 * Experiment}, {@code Run} = {@code RunInfo} + {@code RunData} + {@code RunInputs}, {@code Metric},
 * {@code Param}, {@code RunTag}), field names as in the proto, int64 as numbers.
 */
public final class MlflowJson {
  private final ObjectMapper mapper;

  public MlflowJson(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public ObjectNode object() {
    return mapper.createObjectNode();
  }

  public ObjectNode experiment(Experiments.Experiment e) {
    ObjectNode n = mapper.createObjectNode();
    n.put("experiment_id", e.id());
    n.put("name", e.name());
    n.put("artifact_location", e.artifactLocation());
    n.put("lifecycle_stage", "active");
    n.put("last_update_time", e.lastUpdateTime());
    n.put("creation_time", e.creationTime());
    if (!e.tags().isEmpty()) tags(n.putArray("tags"), e.tags());
    return n;
  }

  public ObjectNode runInfo(MlflowRun r) {
    MlflowRun.Info i = r.info();
    ObjectNode n = mapper.createObjectNode();
    n.put("run_id", r.id());
    n.put("run_uuid", r.id());
    n.put("run_name", i.runName());
    n.put("experiment_id", i.experimentId());
    if (i.userId() != null) n.put("user_id", i.userId());
    n.put("status", MlflowRuns.status(r));
    n.put("start_time", i.startTime());
    if (i.endTime() != null) n.put("end_time", i.endTime());
    n.put("artifact_uri", "trainscope:/runs/" + r.id() + "/artifacts");
    n.put("lifecycle_stage", "active");
    return n;
  }

  public ObjectNode run(MlflowRun r) {
    ObjectNode n = mapper.createObjectNode();
    n.set("info", runInfo(r));
    ObjectNode data = n.putObject("data");
    Map<String, MlflowRun.Metric> latest = r.latest();
    if (!latest.isEmpty()) {
      ArrayNode metrics = data.putArray("metrics");
      latest.values().forEach(m -> metrics.add(metric(m)));
    }
    MlflowRun.Info i = r.info();
    if (!i.params().isEmpty()) tags(data.putArray("params"), i.params());
    if (!i.tags().isEmpty()) tags(data.putArray("tags"), i.tags());
    n.putObject("inputs");
    return n;
  }

  public ObjectNode metric(MlflowRun.Metric m) {
    ObjectNode n = mapper.createObjectNode();
    n.put("key", m.key());
    MlflowValues.put(n, "value", m.value());
    n.put("timestamp", m.timestamp());
    n.put("step", m.step());
    return n;
  }

  private static void tags(ArrayNode out, Map<String, String> entries) {
    entries.forEach((k, v) -> out.addObject().put("key", k).put("value", v));
  }
}
