package dev.trainscope.engine;

import dev.trainscope.engine.check.InvalidValueException;
import dev.trainscope.engine.config.LayerSpec;
import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.engine.data.Dataset;
import dev.trainscope.engine.data.Datasets;
import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.engine.nn.Network;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Trains networks and emits each run as a cold {@code Flux<TrainingEvent>}: every subscription
 * trains once, on this trainer's scheduler (never on the subscriber's thread). The Flux honours
 * backpressure exactly: the training thread waits for demand before each event, so a slow
 * subscriber slows training instead of filling a buffer. Cancelling stops training before its next
 * mini-batch.
 *
 * <pre>{@code
 * Trainer.standard()
 *     .train(TrainingConfig.defaults())
 *     .ofType(TrainingEvent.Epoch.class)
 *     .doOnNext(e -> System.out.println(e.epoch() + " " + e.loss()))
 *     .blockLast();
 * }</pre>
 */
public final class Trainer {
  /** Run ids are safe as file and URL path segments. */
  public static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private static final class Holder {
    static final Scheduler SCHEDULER =
        Schedulers.newBoundedElastic(
            Math.max(2, Runtime.getRuntime().availableProcessors()),
            Integer.MAX_VALUE,
            "trainscope-train",
            60,
            true);
    static final Trainer STANDARD = new Trainer(SCHEDULER, System::currentTimeMillis);
  }

  private final Scheduler scheduler;
  private final LongSupplier clock;
  private final Consumer<? super Network> initialWeights;

  /**
   * @param scheduler where training runs; each active run occupies one of its workers
   * @param clock epoch milliseconds for event times and durations (tests pass a fixed clock)
   */
  public Trainer(Scheduler scheduler, LongSupplier clock) {
    this(scheduler, clock, network -> {});
  }

  private Trainer(
      Scheduler scheduler, LongSupplier clock, Consumer<? super Network> initialWeights) {
    this.scheduler = scheduler;
    this.clock = clock;
    this.initialWeights = initialWeights;
  }

  /**
   * A trainer like this one whose runs hand each freshly initialised network to {@code setWeights}
   * before the first epoch, so a worked example or a test can start from weights set by hand (it
   * may overwrite {@code weights.value} and {@code biases.value} of any layer). Not part of {@link
   * TrainingConfig}: a run's config alone still describes a seeded random start.
   */
  Trainer withInitialWeights(Consumer<? super Network> setWeights) {
    return new Trainer(scheduler, clock, Objects.requireNonNull(setWeights));
  }

  /** A trainer on a shared bounded-elastic pool named {@code trainscope-train}, wall clock. */
  public static Trainer standard() {
    return Holder.STANDARD;
  }

  /** Trains a built-in data set under a fresh run id. */
  public Flux<TrainingEvent> train(TrainingConfig config) {
    return train(newRunId(), config, loadDataset(config), new RunControl());
  }

  /**
   * Trains {@code dataset} under {@code runId}, controlled by {@code control}, with the config
   * {@link #fit fitted} to the data set.
   *
   * @throws InvalidValueException at once (not on subscription) when the config does not fit the
   *     data set, or the run id is not {@link #RUN_ID}
   */
  public Flux<TrainingEvent> train(
      String runId, TrainingConfig config, Dataset dataset, RunControl control) {
    if (runId == null || !RUN_ID.matcher(runId).matches()) {
      throw new InvalidValueException(
          "runId", "runId matching " + RUN_ID.pattern() + " required but was " + runId);
    }
    TrainingConfig fitted = fit(config, dataset);
    return Flux.create(
        sink -> start(runId, fitted, dataset, control, sink), FluxSink.OverflowStrategy.ERROR);
  }

  private void start(
      String runId,
      TrainingConfig config,
      Dataset dataset,
      RunControl control,
      FluxSink<TrainingEvent> sink) {
    Gate gate = new Gate();
    Runnable detach = control.onChange(gate::wake);
    sink.onRequest(gate::request);
    Disposable task =
        scheduler.schedule(
            () -> {
              TrainingSession session = null;
              try {
                session =
                    new TrainingSession(
                        runId, config, dataset, clock, control, gate, sink::next, initialWeights);
                session.run();
                sink.complete();
              } catch (Gate.Cancelled cancelled) {
                // The subscriber left; nothing to deliver.
              } catch (RuntimeException | Error e) {
                failUnexpectedly(runId, session, gate, sink, e);
              } finally {
                detach.run();
              }
            });
    sink.onDispose(
        () -> {
          gate.cancel();
          detach.run();
          task.dispose();
        });
  }

  /** A bug must not surface as an exception on the stream: report it as a failed run. */
  private void failUnexpectedly(
      String runId, TrainingSession session, Gate gate, FluxSink<TrainingEvent> sink, Throwable e) {
    if (session == null) {
      sink.error(e);
      return;
    }
    try {
      session.failInternally(
          String.format(
              Locale.ROOT, "Internal error: %s: %s", e.getClass().getSimpleName(), e.getMessage()));
      sink.complete();
    } catch (Gate.Cancelled cancelled) {
      // The subscriber left.
    } catch (RuntimeException secondary) {
      sink.error(e);
    }
  }

  /** Loads the built-in data set a config names; throws {@link InvalidValueException} if none. */
  public static Dataset loadDataset(TrainingConfig config) {
    return Datasets.load(config.dataset(), config.samples(), config.noise(), config.seed());
  }

  /** Checks that the config fits the data set (output units, probe size) before a run starts. */
  public static void validate(TrainingConfig config, Dataset dataset) {
    List<LayerSpec> layers = config.layers();
    int last = layers.size() - 1;
    int classes = dataset.classes().size();
    if (layers.get(last).units() != classes) {
      throw new InvalidValueException(
          "layers[" + last + "].units",
          "layers["
              + last
              + "].units equal to the number of classes of "
              + dataset.name()
              + " ("
              + classes
              + ") required but was "
              + layers.get(last).units());
    }
    if (config.probe() != null && config.probe().size() != dataset.featureCount()) {
      throw new InvalidValueException(
          "probe",
          "probe of "
              + dataset.featureCount()
              + " values (the features of "
              + dataset.name()
              + ") required but had "
              + config.probe().size());
    }
  }

  /**
   * The config a run on {@code dataset} uses: the default layers' output sized to the data set's
   * classes ({@link TrainingConfig#fittedTo}), then {@link #validate validated}. Store this one,
   * not the caller's, so the run's recorded config is the one that trained.
   */
  public static TrainingConfig fit(TrainingConfig config, Dataset dataset) {
    TrainingConfig fitted = config.fittedTo(dataset.classes().size());
    validate(fitted, dataset);
    return fitted;
  }

  /** A new run id: time-ordered, readable, and unique enough for one machine. */
  public static String newRunId() {
    return String.format(
        Locale.ROOT,
        "%1$tY%1$tm%1$td-%1$tH%1$tM%1$tS-%2$04x",
        new java.util.Date(),
        ThreadLocalRandom.current().nextInt(0x10000));
  }
}
