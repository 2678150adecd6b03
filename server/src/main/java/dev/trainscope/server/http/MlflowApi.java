package dev.trainscope.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainscope.server.mlflow.Experiments;
import dev.trainscope.server.mlflow.MlflowException;
import dev.trainscope.server.mlflow.MlflowJson;
import dev.trainscope.server.mlflow.MlflowRun;
import dev.trainscope.server.mlflow.MlflowRuns;
import dev.trainscope.server.mlflow.MlflowValues;
import dev.trainscope.server.mlflow.SearchFilter;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * MLflow's REST tracking API, the subset its Python client, Lightning's {@code MLFlowLogger} and
 * the Hugging Face {@code MLflowCallback} use: {@code MLFLOW_TRACKING_URI=http://<trainscope>}
 * streams their runs live into Trainscope. Other MLflow endpoints (artifacts, models, traces)
 * answer MLflow's {@code NOT_IMPLEMENTED} (501) so those clients fail clearly.
 */
final class MlflowApi {
  static final String PREFIX = "/api/2.0/mlflow/";
  static final int MAX_BATCH_METRICS = 1000;
  static final int MAX_BATCH_PARAMS = 100;
  static final int MAX_BATCH_TAGS = 100;
  static final int MAX_RESULTS = 50_000;

  private final MlflowRuns runs;
  private final Experiments experiments;
  private final MlflowJson out;
  private final ObjectMapper mapper;
  private final Json json;
  private final Scheduler disk;
  private final int maxBodyBytes;

  MlflowApi(MlflowRuns runs, ObjectMapper mapper, Json json, Scheduler disk, int maxBodyBytes) {
    this.runs = runs;
    this.experiments = runs.experiments();
    this.out = new MlflowJson(mapper);
    this.mapper = mapper;
    this.json = json;
    this.disk = disk;
    this.maxBodyBytes = maxBodyBytes;
  }

  /** Every path this API answers, on {@code router}. */
  void routes(Router router) {
    post(router, "experiments/create", this::createExperiment);
    get(router, "experiments/get-by-name", this::experimentByName);
    get(router, "experiments/get", this::getExperiment);
    post(router, "experiments/search", this::searchExperiments);
    get(router, "experiments/search", this::searchExperiments);
    post(router, "runs/create", this::createRun);
    get(router, "runs/get", b -> wrap("run", out.run(runs.get(MlflowValues.runId(b)))));
    post(router, "runs/update", this::updateRun);
    post(router, "runs/log-metric", this::logMetric);
    post(router, "runs/log-batch", this::logBatch);
    post(router, "runs/log-parameter", b -> logOne(b, "params"));
    post(router, "runs/set-tag", b -> logOne(b, "tags"));
    post(router, "runs/search", this::searchRuns);
    get(router, "metrics/get-history", this::history);
  }

  /** The rest of MLflow's paths, any method: 501, after every route that answers. */
  void unsupportedRoutes(Router router) {
    String any = "/(ajax-)?api/2\\.0/mlflow(-artifacts)?/.*";
    for (HttpMethod m :
        List.of(
            HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE)) {
      router.route(m, any, this::unsupported);
    }
  }

  /** True for the paths whose errors MLflow's clients read: {@code {"error_code","message"}}. */
  static boolean isMlflow(String path) {
    return path.startsWith("/api/2.0/mlflow") || path.startsWith("/ajax-api/2.0/mlflow");
  }

  /** Any other MLflow endpoint. */
  Publisher<Void> unsupported(Exchange ex) {
    throw MlflowException.notImplemented(
        "Trainscope answers MLflow's tracking API (experiments, runs, metrics, params, tags);"
            + " "
            + ex.request().method()
            + " "
            + ex.path()
            + " is not among them (artifacts, models and traces are not stored)");
  }

  private interface Operation {
    ObjectNode apply(JsonNode body) throws IOException;
  }

  private void post(Router router, String path, Operation op) {
    router.route(
        HttpMethod.POST, PREFIX.replace(".", "\\.") + path, ex -> answer(ex, body(ex), op));
  }

  private void get(Router router, String path, Operation op) {
    router.route(
        HttpMethod.GET,
        PREFIX.replace(".", "\\.") + path,
        ex -> answer(ex, Mono.just(query(ex)), op));
  }

  /** Runs the operation on the disk scheduler (it may write) and sends its answer. */
  private Publisher<Void> answer(Exchange ex, Mono<JsonNode> body, Operation op) {
    return body.flatMap(b -> BlockingWrites.call(disk, call(op, b)))
        .flatMap(node -> Mono.from(json.ok(ex.response(), node)));
  }

  private static Callable<ObjectNode> call(Operation op, JsonNode body) {
    return () -> {
      try {
        return op.apply(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  private Mono<JsonNode> body(Exchange ex) {
    return Bodies.read(ex.request(), maxBodyBytes)
        .defaultIfEmpty(new byte[0])
        .map(
            bytes -> {
              if (bytes.length == 0) return mapper.createObjectNode();
              try {
                JsonNode n = mapper.readTree(bytes);
                if (n == null || !n.isObject()) {
                  throw MlflowException.invalid("a JSON object required as the request body");
                }
                return n;
              } catch (JsonProcessingException e) {
                throw MlflowException.invalid(
                    "Malformed request: " + dev.trainscope.server.json.EventCodec.malformed(e, 0));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
  }

  /** A GET's parameters as the object its client built them from (first value of each). */
  private JsonNode query(Exchange ex) {
    ex.requireWellFormedQuery();
    ObjectNode n = mapper.createObjectNode();
    ex.query()
        .forEach(
            (k, v) -> {
              if (!v.isEmpty()) n.put(k, v.get(0));
            });
    return n;
  }

  private ObjectNode wrap(String field, JsonNode value) {
    ObjectNode n = out.object();
    n.set(field, value);
    return n;
  }

  private ObjectNode createExperiment(JsonNode b) throws IOException {
    Experiments.Experiment e =
        experiments.create(MlflowValues.string(b, "name"), tags(b.get("tags"), MAX_BATCH_TAGS));
    ObjectNode n = out.object();
    n.put("experiment_id", e.id());
    return n;
  }

  private ObjectNode experimentByName(JsonNode b) {
    String name = MlflowValues.string(b, "experiment_name");
    return wrap(
        "experiment",
        out.experiment(
            experiments
                .byName(name)
                .orElseThrow(
                    () ->
                        MlflowException.notFound(
                            "Could not find experiment with name '" + name + "'"))));
  }

  private ObjectNode getExperiment(JsonNode b) {
    String id = MlflowValues.string(b, "experiment_id");
    return wrap(
        "experiment",
        out.experiment(
            experiments
                .get(id)
                .orElseThrow(
                    () -> MlflowException.notFound("No Experiment with id=" + id + " exists"))));
  }

  private ObjectNode searchExperiments(JsonNode b) {
    SearchFilter filter = SearchFilter.parse(MlflowValues.optional(b, "filter"));
    List<Experiments.Experiment> all = new ArrayList<>(experiments.all());
    all.sort(
        Comparator.comparingLong(Experiments.Experiment::lastUpdateTime)
            .reversed()
            .thenComparing(e -> -Long.parseLong(e.id())));
    List<Experiments.Experiment> matching = all.stream().filter(filter::matches).toList();
    ObjectNode n = out.object();
    ArrayNode list = n.putArray("experiments");
    page(b, matching, 1000, n).forEach(e -> list.add(out.experiment(e)));
    return n;
  }

  private ObjectNode createRun(JsonNode b) throws IOException {
    MlflowRun r =
        runs.create(
            MlflowValues.optional(b, "experiment_id"),
            MlflowValues.optional(b, "user_id"),
            MlflowValues.int64(b.get("start_time"), "start_time", 0),
            MlflowValues.optional(b, "run_name"),
            tags(b.get("tags"), Integer.MAX_VALUE));
    return wrap("run", out.run(r));
  }

  private ObjectNode updateRun(JsonNode b) throws IOException {
    MlflowRun r = runs.get(MlflowValues.runId(b));
    JsonNode end = b.get("end_time");
    runs.update(
        r,
        MlflowValues.optional(b, "status"),
        end == null || end.isNull() ? null : MlflowValues.int64(end, "end_time", 0),
        MlflowValues.optional(b, "run_name"));
    return wrap("run_info", out.runInfo(r));
  }

  private ObjectNode logMetric(JsonNode b) throws IOException {
    MlflowRun r = runs.get(MlflowValues.runId(b));
    runs.log(r, List.of(metric(b)), Map.of(), Map.of());
    return out.object();
  }

  private ObjectNode logBatch(JsonNode b) throws IOException {
    MlflowRun r = runs.get(MlflowValues.runId(b));
    List<MlflowRun.Metric> metrics = new ArrayList<>();
    JsonNode m = b.get("metrics");
    if (m != null && m.isArray()) {
      if (m.size() > MAX_BATCH_METRICS) {
        throw MlflowException.invalid(
            "A batch logging request can contain at most "
                + MAX_BATCH_METRICS
                + " metrics. Got "
                + m.size()
                + " metrics.");
      }
      m.forEach(x -> metrics.add(metric(x)));
    }
    runs.log(
        r, metrics, tags(b.get("params"), MAX_BATCH_PARAMS), tags(b.get("tags"), MAX_BATCH_TAGS));
    return out.object();
  }

  /** {@code log-parameter} and {@code set-tag}: one key and value. */
  private ObjectNode logOne(JsonNode b, String what) throws IOException {
    MlflowRun r = runs.get(MlflowValues.runId(b));
    Map<String, String> one = Map.of(MlflowValues.string(b, "key"), valueOf(b));
    runs.log(
        r, List.of(), what.equals("params") ? one : Map.of(), what.equals("tags") ? one : Map.of());
    return out.object();
  }

  private ObjectNode searchRuns(JsonNode b) {
    List<String> ids = new ArrayList<>();
    JsonNode given = b.get("experiment_ids");
    if (given != null && given.isArray()) given.forEach(x -> ids.add(x.asText()));
    else if (given != null && given.isValueNode()) ids.add(given.asText());
    SearchFilter filter = SearchFilter.parse(MlflowValues.optional(b, "filter"));
    List<MlflowRun> matching =
        runs.all().stream()
            .filter(r -> ids.isEmpty() || ids.contains(r.info().experimentId()))
            .filter(filter::matches)
            .sorted(order(b.get("order_by")))
            .toList();
    ObjectNode n = out.object();
    List<MlflowRun> page = page(b, matching, 1000, n);
    if (!page.isEmpty()) {
      ArrayNode list = n.putArray("runs");
      page.forEach(r -> list.add(out.run(r)));
    }
    return n;
  }

  private ObjectNode history(JsonNode b) throws IOException {
    MlflowRun r = runs.get(MlflowValues.runId(b));
    List<MlflowRun.Metric> all = runs.history(r, MlflowValues.string(b, "metric_key"));
    ObjectNode n = out.object();
    List<MlflowRun.Metric> page = page(b, all, Integer.MAX_VALUE, n);
    if (!page.isEmpty()) {
      ArrayNode list = n.putArray("metrics");
      page.forEach(m -> list.add(out.metric(m)));
    }
    return n;
  }

  /** {@code start_time DESC} (MLflow's default) unless {@code order_by} names another order. */
  private static Comparator<MlflowRun> order(JsonNode orderBy) {
    Comparator<MlflowRun> byStart =
        Comparator.comparingLong((MlflowRun r) -> r.info().startTime()).reversed();
    if (orderBy == null || !orderBy.isArray() || orderBy.isEmpty()) return byStart;
    Comparator<MlflowRun> c = null;
    for (JsonNode o : orderBy) {
      String[] parts = o.asText().strip().split("\\s+");
      boolean desc = parts.length > 1 && parts[1].equalsIgnoreCase("DESC");
      String key = parts[0].replaceFirst("^attributes?\\.", "");
      Comparator<MlflowRun> next;
      if (key.equals("start_time")) {
        next = Comparator.comparingLong(r -> r.info().startTime());
      } else if (key.equals("run_name")) {
        next = Comparator.comparing(r -> r.info().runName());
      } else if (key.startsWith("metrics.")) {
        String k = key.substring(8).replace("`", "");
        next =
            Comparator.comparing(
                r -> r.latest().get(k) == null ? null : r.latest().get(k).value(),
                Comparator.nullsLast(Comparator.<Double>naturalOrder()));
      } else {
        throw MlflowException.invalid(
            "Invalid order_by clause '"
                + o.asText()
                + "': start_time, run_name or metrics.<key> required");
      }
      if (desc) next = next.reversed();
      c = c == null ? next : c.thenComparing(next);
    }
    return c.thenComparing(byStart);
  }

  /** One page of {@code all} by {@code max_results} and {@code page_token} (an offset). */
  private static <T> List<T> page(JsonNode b, List<T> all, int defaultMax, ObjectNode response) {
    long max = MlflowValues.int64(b.get("max_results"), "max_results", defaultMax);
    boolean capped = defaultMax != Integer.MAX_VALUE; // a metric's history has no page limit
    if (max < 1 || (capped && max > MAX_RESULTS)) {
      throw MlflowException.invalid(
          "Invalid value "
              + max
              + " for parameter 'max_results' supplied: between 1 and "
              + MAX_RESULTS
              + " required");
    }
    int from = 0;
    String token = MlflowValues.optional(b, "page_token");
    if (token != null && !token.isEmpty()) {
      try {
        from =
            Integer.parseInt(new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw MlflowException.invalid("Invalid page token");
      }
    }
    int to = (int) Math.min(all.size(), from + max);
    if (to < all.size()) {
      response.put(
          "next_page_token",
          Base64.getEncoder()
              .encodeToString(Integer.toString(to).getBytes(StandardCharsets.UTF_8)));
    }
    return from >= all.size() ? List.of() : all.subList(from, to);
  }

  private MlflowRun.Metric metric(JsonNode m) {
    if (m == null || !m.isObject()) throw MlflowException.invalid("a metric object required");
    String key = MlflowValues.string(m, "key");
    return new MlflowRun.Metric(
        key,
        MlflowValues.number(m.get("value"), "value"),
        MlflowValues.int64(m.get("timestamp"), "timestamp", runs.now()),
        MlflowValues.int64(m.get("step"), "step", 0));
  }

  /** {@code [{"key", "value"}]} as an ordered map, at most {@code max} entries. */
  private static Map<String, String> tags(JsonNode array, int max) {
    Map<String, String> out = new LinkedHashMap<>();
    if (array == null || array.isNull()) return out;
    if (!array.isArray()) throw MlflowException.invalid("a list of {key, value} required");
    if (array.size() > max) {
      throw MlflowException.invalid(
          "A batch logging request can contain at most "
              + max
              + " params or tags. Got "
              + array.size()
              + ".");
    }
    for (JsonNode t : array) out.put(MlflowValues.string(t, "key"), valueOf(t));
    return out;
  }

  private static String valueOf(JsonNode t) {
    JsonNode v = t.get("value");
    return v == null || v.isNull() ? "" : v.asText();
  }
}
