package dev.trainscope.server.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainscope.engine.Trainer;
import dev.trainscope.engine.check.InvalidValueException;
import dev.trainscope.server.ServerConfig;
import dev.trainscope.server.json.EventCodec;
import dev.trainscope.server.json.JsonInputException;
import dev.trainscope.server.log.StorageException;
import dev.trainscope.server.mlflow.MlflowException;
import dev.trainscope.server.mlflow.MlflowRuns;
import dev.trainscope.server.remote.KerasSessions;
import dev.trainscope.server.runs.RunConflictException;
import dev.trainscope.server.runs.RunManager;
import dev.trainscope.server.runs.Sweeps;
import dev.trainscope.server.sse.StreamGate;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.UncheckedIOException;
import java.util.Map;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/** The route table and the error mapping: every failure becomes {@code {"error","field"}}. */
public final class Routes {
  private static final Logger log = LoggerFactory.getLogger(Routes.class);
  private static final String ID = "(" + Trainer.RUN_ID.pattern() + ")";

  private final Router router = new Router();
  private final Security security;
  private final Json json;

  /** {@code keras} follows the Keras clients of {@code POST /publish/epoch/end}. */
  public Routes(
      ServerConfig config,
      RunManager runs,
      Sweeps sweeps,
      MlflowRuns mlflow,
      EventCodec codec,
      KerasSessions keras) {
    this.json = new Json(codec.mapper());
    this.security = new Security(config.token(), config.corsOrigin(), config.bindsLoopback());
    RunsApi api = new RunsApi(runs, codec, json, config.maxBodyBytes());
    DatasetsApi datasets = new DatasetsApi(runs, runs.datasets(), json);
    WeightsApi weights = new WeightsApi(runs, codec.mapper(), json, config.maxBodyBytes());
    ProbeApi probe = new ProbeApi(runs, codec.mapper(), json, config.maxBodyBytes());
    ExternalRunsApi external = new ExternalRunsApi(runs, codec, json, config.maxBodyBytes());
    MlflowApi mlflowApi =
        new MlflowApi(mlflow, codec.mapper(), json, runs.diskScheduler(), config.maxBodyBytes());
    SweepsApi sweepsApi = new SweepsApi(sweeps, runs, codec, json, config.maxBodyBytes());
    RemoteApi remote = new RemoteApi(runs, codec, json, config.maxBodyBytes(), keras);
    StreamGate gate =
        new StreamGate(config.limits().streamStallLimit(), config.limits().maxStreams());
    StreamsApi streams = new StreamsApi(runs, codec, config.keepAlive(), config.retry(), gate);
    Metrics metrics = new Metrics(runs, streams::openStreams, gate);
    StaticFiles files = new StaticFiles(Routes.class.getClassLoader(), runs.diskScheduler(), runs);
    router
        .route(HttpMethod.GET, "/health", ex -> json.ok(ex.response(), Map.of("status", "UP")))
        .route(HttpMethod.GET, "/metrics", metrics::scrape)
        .route(HttpMethod.GET, "/api/runs/?", api::list)
        .route(HttpMethod.POST, "/api/runs/?", api::create)
        .route(HttpMethod.GET, "/api/runs/" + ID, api::show)
        .route(HttpMethod.GET, "/api/sweeps/?", sweepsApi::list)
        .route(HttpMethod.POST, "/api/sweeps/?", sweepsApi::create)
        .route(HttpMethod.GET, "/api/sweeps/" + ID, sweepsApi::show)
        .route(HttpMethod.POST, "/api/runs/" + ID + "/(pause|resume|step|stop)", api::control)
        .route(HttpMethod.POST, "/api/runs/" + ID + "/weights", weights::edit)
        .route(HttpMethod.POST, "/api/runs/" + ID + "/probe", probe::choose)
        .route(HttpMethod.GET, "/api/datasets/?", datasets::list)
        .route(HttpMethod.POST, "/api/datasets/?", datasets::upload)
        .route(HttpMethod.DELETE, "/api/datasets/" + ID, datasets::delete)
        .route(HttpMethod.POST, "/api/runs/" + ID + "/events", external::push)
        .route(HttpMethod.POST, "/api/runs/" + ID + "/finish", external::finish)
        .route(HttpMethod.GET, "/api/runs/" + ID + "/metrics\\.csv", remote::metricsCsv)
        .route(HttpMethod.GET, "/api/metrics\\.csv", remote::longMetricsCsv)
        .route(HttpMethod.POST, "//?publish/epoch/end/?", remote::kerasEpoch)
        .route(HttpMethod.GET, "/api/runs/" + ID + "/events", streams::sse)
        .route(HttpMethod.GET, "/api/runs/" + ID + "/events\\.ndjson", streams::ndjson)
        .route(HttpMethod.GET, "/api/runs/" + ID + "/control", streams::control)
        .route(HttpMethod.GET, "/api/events", streams::sseAll);
    mlflowApi.routes(router);
    mlflowApi.unsupportedRoutes(router);
    router.notFound("/api(/.*)?").fallback(files::serve);
  }

  /** The one Reactor Netty handler. */
  public Publisher<Void> handle(HttpServerRequest req, HttpServerResponse res) {
    Exchange ex = Exchange.of(req, res);
    return Mono.defer(
            () -> {
              security.screen(ex);
              if (security.cors(ex)) {
                return res.status(HttpResponseStatus.NO_CONTENT).send();
              }
              security.authorize(ex);
              return Mono.from(router.dispatch(ex));
            })
        .onErrorResume(e -> error(ex, e));
  }

  /** EMFILE/ENFILE anywhere in the cause chain: the process (or system) has no descriptor left. */
  static boolean outOfFiles(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && (m.contains("Too many open files") || m.contains("too many open files"))) {
        return true;
      }
    }
    return false;
  }

  private Mono<Void> error(Exchange ex, Throwable e) {
    HttpServerResponse res = ex.response();
    if (res.hasSentHeaders()) {
      log.debug(
          "{} {} failed after the response began: {}",
          ex.request().method(),
          ex.path(),
          e.toString());
      return Mono.error(e);
    }
    Failure f = failure(ex, e);
    if (MlflowApi.isMlflow(ex.path())) {
      // MLflow's clients read {"error_code", "message"} and raise MlflowException with them.
      ObjectNode body = JsonNodeFactory.instance.objectNode();
      body.put(
          "error_code",
          f.errorCode() != null ? f.errorCode() : MlflowException.codeFor(f.status().code()));
      body.put("message", f.message());
      return Mono.from(json.send(res, f.status(), body));
    }
    return Mono.from(json.error(res, f.status(), f.message(), f.field()));
  }

  /** What went wrong, as a status and a message naming the field. */
  private record Failure(
      HttpResponseStatus status, String message, String field, String errorCode) {
    Failure(HttpResponseStatus status, String message, String field) {
      this(status, message, field, null);
    }
  }

  private Failure failure(Exchange ex, Throwable e) {
    if (e instanceof MlflowException m) {
      return new Failure(
          HttpResponseStatus.valueOf(m.status()), m.getMessage(), null, m.errorCode());
    }
    if (e instanceof ApiException a) return new Failure(a.status(), a.getMessage(), a.field());
    if (e instanceof InvalidValueException v) {
      return new Failure(HttpResponseStatus.BAD_REQUEST, v.getMessage(), v.field());
    }
    if (e instanceof RunConflictException c) {
      return new Failure(HttpResponseStatus.CONFLICT, c.getMessage(), null);
    }
    if (e instanceof JsonInputException j) {
      return new Failure(HttpResponseStatus.BAD_REQUEST, j.getMessage(), j.field());
    }
    if (outOfFiles(e)) {
      log.warn(
          "{} {}: out of file descriptors: {}", ex.request().method(), ex.path(), e.toString());
      return new Failure(
          HttpResponseStatus.SERVICE_UNAVAILABLE,
          "the server has run out of file descriptors (Too many open files); retry later",
          null);
    }
    Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
    if (cause instanceof StorageException s) {
      // The disk, not the request: nothing of it was stored, and a retry once there is room works.
      log.warn("{} {}: {}", ex.request().method(), ex.path(), s.getMessage());
      return new Failure(HttpResponseStatus.INSUFFICIENT_STORAGE, s.getMessage(), null);
    }
    log.error("{} {} failed", ex.request().method(), ex.path(), e);
    return new Failure(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error", null);
  }
}
