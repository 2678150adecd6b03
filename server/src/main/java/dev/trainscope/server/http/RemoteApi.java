package dev.trainscope.server.http;

import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.server.json.EventCodec;
import dev.trainscope.server.log.LogLine;
import dev.trainscope.server.remote.KerasEpoch;
import dev.trainscope.server.remote.KerasSessions;
import dev.trainscope.server.remote.LongMetricsCsv;
import dev.trainscope.server.remote.MetricsCsv;
import dev.trainscope.server.runs.Run;
import dev.trainscope.server.runs.RunManager;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What remote tools speak: Keras' {@code RemoteMonitor} posting to {@code /publish/epoch/end/}
 * (form field {@code data} or JSON), and a run's metrics as Keras {@code CSVLogger} writes them.
 */
final class RemoteApi {
  static final String KERAS_FIELD = "data";
  static final String FORM = "application/x-www-form-urlencoded";

  private final RunManager runs;
  private final EventCodec codec;
  private final Json json;
  private final int maxBodyBytes;
  private final KerasSessions keras;

  RemoteApi(RunManager runs, EventCodec codec, Json json, int maxBodyBytes, KerasSessions keras) {
    this.runs = runs;
    this.codec = codec;
    this.json = json;
    this.maxBodyBytes = maxBodyBytes;
    this.keras = keras;
  }

  /** {@code POST /publish/epoch/end/}: one Keras epoch; 200 {@code {"run","seq"}}. */
  Publisher<Void> kerasEpoch(Exchange ex) {
    String contentType = ex.header("Content-Type");
    String userAgent = ex.header("User-Agent");
    String host = host(ex.request().remoteAddress());
    return Bodies.read(ex.request(), maxBodyBytes)
        .defaultIfEmpty(new byte[0])
        .map(body -> KerasEpoch.parse(body, effectiveType(contentType, body), KERAS_FIELD))
        .flatMap(
            epoch ->
                BlockingWrites.call(
                    runs.diskScheduler(), () -> keras.accept(host, userAgent, epoch)))
        .flatMap(
            a -> {
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("run", a.run());
              body.put("seq", a.seq());
              return Mono.from(json.ok(ex.response(), body));
            });
  }

  /** Form when declared so, or undeclared and the body starts with {@code data=}. */
  static String effectiveType(String contentType, byte[] body) {
    if (contentType != null && !contentType.isBlank()) return contentType;
    String prefix = KERAS_FIELD + "=";
    String start =
        new String(body, 0, Math.min(body.length, prefix.length()), StandardCharsets.US_ASCII);
    return start.equals(prefix) ? FORM : "application/json";
  }

  static String host(InetSocketAddress address) {
    if (address == null) return "unknown";
    return address.getAddress() != null
        ? address.getAddress().getHostAddress()
        : address.getHostString();
  }

  /** {@code GET /api/runs/{id}/metrics.csv}: the run's epochs so far in CSVLogger's layout. */
  Publisher<Void> metricsCsv(Exchange ex) {
    Run run = runs.find(ex.param(0)).orElseThrow(() -> ApiException.notFound("run " + ex.param(0)));
    return runs.lines(run, 0, Set.of(TrainingEvent.Epoch.TYPE), run.log().size())
        .map(line -> (TrainingEvent.Epoch) codec.decode(line.jsonString()))
        .collectList()
        .map(MetricsCsv::render)
        .flatMap(
            csv ->
                Mono.from(
                    ex.response()
                        .status(HttpResponseStatus.OK)
                        .header("Content-Type", "text/csv; charset=utf-8")
                        .header(
                            "Content-Disposition",
                            "attachment; filename=\"" + run.id() + "-metrics.csv\"")
                        .header("Cache-Control", "no-store")
                        .sendByteArray(Mono.just(csv.getBytes(StandardCharsets.UTF_8)))));
  }

  static final int MAX_CSV_RUNS = 1000;

  /**
   * {@code GET /api/metrics.csv?runs=a,b,c}: every epoch metric of each run, in long format ({@link
   * LongMetricsCsv}), streamed from the logs as far as each is now; 404 naming an unknown run.
   */
  Publisher<Void> longMetricsCsv(Exchange ex) {
    ex.requireWellFormedQuery();
    String param = ex.queryParam("runs");
    if (param == null || param.isBlank()) {
      throw new ApiException(
          HttpResponseStatus.BAD_REQUEST, "runs required: ?runs=<id>,<id>,...", "runs");
    }
    List<String> ids =
        Arrays.stream(param.split(","))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .distinct()
            .toList();
    if (ids.size() > MAX_CSV_RUNS) {
      throw new ApiException(
          HttpResponseStatus.BAD_REQUEST,
          "runs: at most " + MAX_CSV_RUNS + " runs required but was " + ids.size(),
          "runs");
    }
    List<Run> selected = new ArrayList<>();
    for (String id : ids) {
      selected.add(runs.find(id).orElseThrow(() -> ApiException.notFound("run " + id)));
    }
    Flux<byte[]> rows =
        Flux.fromIterable(selected)
            .concatMap(
                run ->
                    runs.batches(run, 0, Set.of(TrainingEvent.Epoch.TYPE), run.log().size())
                        .map(batch -> rows(run.id(), batch)));
    return ex.response()
        .status(HttpResponseStatus.OK)
        .header("Content-Type", "text/csv; charset=utf-8")
        .header("Content-Disposition", "attachment; filename=\"metrics.csv\"")
        .header("Cache-Control", "no-store")
        .sendByteArray(
            Flux.concat(Mono.just(LongMetricsCsv.HEADER.getBytes(StandardCharsets.UTF_8)), rows));
  }

  private byte[] rows(String runId, List<LogLine> batch) {
    StringBuilder sb = new StringBuilder();
    for (LogLine line : batch) {
      LongMetricsCsv.appendRows(sb, runId, (TrainingEvent.Epoch) codec.decode(line.jsonString()));
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }
}
