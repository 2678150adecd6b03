package dev.trainscope.engine;

import dev.trainscope.engine.event.TrainingEvent;

/**
 * An event waiting for its header. {@link TrainingSession} gives it the run id, the next sequence
 * number and the time in one place, when it emits it, so no call site counts events or reads the
 * clock for them.
 */
@FunctionalInterface
interface EventBody<E extends TrainingEvent> {
  E withHeader(String runId, long seq, long time);
}
