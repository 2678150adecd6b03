/**
 * The durable per-run log, the single source of truth: {@code events.ndjson} and {@code run.json}
 * per run, written through before a write is acknowledged, indexed by seq, read by any number of
 * readers at their own pace, and recovered after a crash. Depends on the engine's events, {@code
 * json} and {@code sse} (a line keeps its encoded frame); never on HTTP.
 */
package dev.trainscope.server.log;
