package dev.trainscope.server.http;

import dev.trainscope.server.log.RunStates;
import dev.trainscope.server.runs.RunManager;
import dev.trainscope.server.sse.StreamGate;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/** {@code GET /metrics}: Prometheus text of runs by state, events, streams and log writes. */
final class Metrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  Metrics(RunManager runs, IntSupplier openStreams, StreamGate gate) {
    for (String state : RunStates.ALL) {
      Gauge.builder("trainscope.runs", runs, r -> r.countInState(state))
          .description("Runs known to the server, by state")
          .tag("state", state)
          .register(registry);
    }
    FunctionCounter.builder("trainscope.events.emitted", runs, RunManager::eventsEmitted)
        .description("Events emitted by training since start")
        .register(registry);
    FunctionCounter.builder("trainscope.log.events.written", runs.store(), s -> s.eventsWritten())
        .description("Events appended to run logs since start")
        .register(registry);
    Gauge.builder("trainscope.streams.open", openStreams, s -> s.getAsInt())
        .description("Open event streams (SSE and NDJSON)")
        .strongReference(true)
        .register(registry);
    Gauge.builder("trainscope.streams.queued.bytes", gate, StreamGate::queuedBytes)
        .description("Bytes waiting in the outbound buffers of event streams")
        .register(registry);
    Gauge.builder("trainscope.streams.stalled", gate, StreamGate::stalledStreams)
        .description("Event streams waiting for their client to read")
        .register(registry);
    FunctionCounter.builder("trainscope.streams.stalled.closed", gate, StreamGate::stalledClosed)
        .description("Event streams closed because their client read nothing for the stall limit")
        .register(registry);
  }

  Publisher<Void> scrape(Exchange ex) {
    return ex.response()
        .status(HttpResponseStatus.OK)
        .header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .sendByteArray(Mono.fromCallable(() -> registry.scrape().getBytes(StandardCharsets.UTF_8)));
  }
}
