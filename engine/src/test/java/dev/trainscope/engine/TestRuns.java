package dev.trainscope.engine;

import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.engine.event.TrainingEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** Shared helpers: trainers with a fixed clock and whole-run collection through StepVerifier. */
final class TestRuns {
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private TestRuns() {}

  /** A trainer whose clock always reads 0, so two runs of one config give equal events. */
  static Trainer fixedClock() {
    return new Trainer(Schedulers.boundedElastic(), () -> 0L);
  }

  static Flux<TrainingEvent> flux(Trainer trainer, TrainingConfig config, RunControl control) {
    return trainer.train("run-1", config, Trainer.loadDataset(config), control);
  }

  /** Every event of a run that must complete normally (no error signal) within the timeout. */
  static List<TrainingEvent> collect(Flux<TrainingEvent> flux) {
    List<TrainingEvent> events = new ArrayList<>();
    StepVerifier.create(flux)
        .recordWith(() -> events)
        .thenConsumeWhile(e -> true)
        .expectComplete()
        .verify(TIMEOUT);
    return events;
  }

  static List<TrainingEvent> collect(TrainingConfig config) {
    return collect(flux(fixedClock(), config, new RunControl()));
  }

  static <T extends TrainingEvent> List<T> ofType(List<TrainingEvent> events, Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }
}
