package dev.trainscope.server.http;

import dev.trainscope.server.runs.DatasetStore;
import dev.trainscope.server.runs.RunManager;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * {@code /api/datasets}: upload a CSV by name, list built-in and uploaded sets, delete an upload.
 * Parsing and files run on the disk scheduler, never on the event loop.
 */
final class DatasetsApi {
  private final RunManager runs;
  private final DatasetStore store;
  private final Json json;

  DatasetsApi(RunManager runs, DatasetStore store, Json json) {
    this.runs = runs;
    this.store = store;
    this.json = json;
  }

  /** {@code POST /api/datasets?name=<name>} with {@code text/csv}: 201 and what it holds. */
  Publisher<Void> upload(Exchange ex) {
    ex.requireWellFormedQuery();
    String name = ex.queryParam("name");
    String type = ex.header("Content-Type");
    if (type == null || !type.toLowerCase().startsWith("text/csv")) {
      throw new ApiException(
          HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
          "Content-Type text/csv required but was " + type,
          "Content-Type");
    }
    return Bodies.read(ex.request(), DatasetStore.MAX_BYTES)
        .defaultIfEmpty(new byte[0])
        .flatMap(
            body ->
                BlockingWrites.call(
                    runs.diskScheduler(),
                    () -> store.put(name, new String(body, StandardCharsets.UTF_8))))
        .flatMap(
            info -> {
              ex.response().header("Location", "/api/datasets/" + info.name());
              return Mono.from(json.send(ex.response(), HttpResponseStatus.CREATED, info));
            });
  }

  /** {@code GET /api/datasets}: built-in sets, then uploaded ones. */
  Publisher<Void> list(Exchange ex) {
    return BlockingWrites.call(runs.diskScheduler(), store::list)
        .flatMap(list -> Mono.from(json.ok(ex.response(), list)));
  }

  /**
   * {@code DELETE /api/datasets/{name}}: the CSV goes; runs trained on it stay replayable, their
   * events being in their own logs.
   */
  Publisher<Void> delete(Exchange ex) {
    String name = ex.param(0);
    return BlockingWrites.call(runs.diskScheduler(), () -> store.delete(name))
        .flatMap(
            deleted -> {
              if (!deleted) throw ApiException.notFound("data set " + name);
              return Mono.from(json.ok(ex.response(), Map.of("deleted", name)));
            });
  }
}
