package dev.trainscope.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainscope.engine.RunControl;
import dev.trainscope.engine.Trainer;
import dev.trainscope.engine.check.InvalidValueException;
import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.engine.data.Dataset;
import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.server.ServerConfig;
import dev.trainscope.server.json.EventCodec;
import dev.trainscope.server.json.JsonInputException;
import dev.trainscope.server.log.RunLog;
import dev.trainscope.server.log.RunMeta;
import dev.trainscope.server.log.RunStates;
import dev.trainscope.server.log.RunStore;
import dev.trainscope.server.sweep.SweepPlan;
import dev.trainscope.server.sweep.SweepSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code trainscope train}: trains one network without a server, printing live progress and writing
 * every event to {@code DATA/runs/<runId>/events.ndjson}, the layout the server serves. Flags
 * override the fields of {@code --config}, which overrides the reference defaults.
 *
 * <p>Exit codes: 0 completed (or stopped), 1 the run failed (e.g. diverged) or the log could not be
 * written, 2 bad flags, config or CSV.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    sortOptions = false,
    description = {
      "Train a network headless, print its progress and write its event log.",
      "Defaults reproduce the reference network: iris, [3 relu, 3 sigmoid, 3 softmax], sgd 0.1.",
      "Every config field, its default and bounds: docs/config.md."
    })
public final class TrainCommand implements Callable<Integer> {
  static final int FAILED = 1;
  static final int BAD_INPUT = 2;

  @Spec CommandSpec spec;

  // The defaults below are the reference config's (TrainingConfig.defaults()); they are text, not
  // picocli defaults, so a flag left out keeps the --config file's value. TrainCommandTest checks
  // them against the code; docs/config.md explains every field.

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "A TrainingConfig JSON file (see docs/config.md); flags override its fields.")
  Path configFile;

  @Option(
      names = "--dataset",
      paramLabel = "NAME",
      description = "iris, penguins, xor, circles, spiral or blobs (default: iris).")
  String dataset;

  @Option(
      names = "--csv",
      paramLabel = "FILE",
      description = "Train on a numeric CSV file with a header row and a label column.")
  Path csv;

  @Option(
      names = "--label-column",
      paramLabel = "NAME",
      description = "The CSV's label column (default: the last column).")
  String labelColumn;

  @Option(
      names = "--layers",
      paramLabel = "SPEC",
      description =
          "Layers as units:activation, comma-separated (default: 3:relu,3:sigmoid,3:softmax,"
              + " whose output layer takes the data set's class count).")
  String layers;

  @Option(names = "--epochs", paramLabel = "N", description = "Epochs (default: 200).")
  Integer epochs;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "Seed of every random choice (default: 42).")
  Long seed;

  @Option(
      names = "--optimizer",
      paramLabel = "TYPE",
      description = "sgd, momentum or adam (default: sgd).")
  String optimizer;

  @Option(
      names = {"--learning-rate", "--lr"},
      paramLabel = "X",
      description = "Learning rate (default: 0.1).")
  Double learningRate;

  @Option(names = "--momentum", paramLabel = "X", description = "Momentum (default: 0.9).")
  Double momentum;

  @Option(names = "--batch-size", paramLabel = "N", description = "Mini-batch size (default: 16).")
  Integer batchSize;

  @Option(
      names = "--validation-split",
      paramLabel = "X",
      description = "Fraction held out for validation (default: 0.2).")
  Double validationSplit;

  @Option(names = "--weight-decay", paramLabel = "X", description = "L2 decay (default: 0.0).")
  Double weightDecay;

  @Option(
      names = "--loss",
      paramLabel = "NAME",
      description = "cross_entropy or mse (default: cross_entropy).")
  String loss;

  @Option(
      names = "--initializer",
      paramLabel = "NAME",
      description = "he, glorot or auto (default: he).")
  String initializer;

  @Option(
      names = "--samples",
      paramLabel = "N",
      description = "Samples of synthetic data sets (default: 200).")
  Integer samples;

  @Option(
      names = "--noise",
      paramLabel = "X",
      description = "Noise of synthetic data sets (default: 0.1).")
  Double noise;

  @Option(
      names = "--trace-every",
      paramLabel = "N",
      description = "Epochs between traces (default: 1).")
  Integer traceEvery;

  @Option(
      names = "--batch-events",
      description = "Also log the loss of every mini-batch (default: off).")
  Boolean batchEvents;

  @Option(
      names = "--name",
      paramLabel = "TEXT",
      description = "The run's name (default: derived from data set and layers).")
  String name;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "trainscope-data",
      description = "Where runs are written (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--print-every",
      paramLabel = "N",
      description = "Print every N-th epoch line (default: about 50 lines per run).")
  Integer printEvery;

  @Option(names = "--no-progress", description = "Do not draw a progress bar.")
  boolean noProgress;

  @Option(
      names = "--sweep",
      paramLabel = "FILE",
      description =
          "Train every run of a sweep (the JSON POST /api/sweeps takes, docs/protocol.md);"
              + " flags override its base.")
  Path sweepFile;

  @Option(
      names = "--parallel",
      paramLabel = "N",
      description = "Runs of a sweep that train at once (default: the server's pool size).")
  Integer parallel;

  @Option(
      names = "--metric",
      paramLabel = "NAME",
      description =
          "What a sweep's results are sorted by, its best over the epochs: loss, accuracy,"
              + " val_loss or val_accuracy (default: val_loss).")
  String metric;

  private final EventCodec codec = new EventCodec();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (sweepFile != null) return sweep(out, err);
    if (parallel != null || metric != null) {
      err.println("trainscope train: --parallel and --metric go with --sweep");
      return BAD_INPUT;
    }
    Prepared prepared =
        read(
            err,
            () -> {
              TrainingConfig c = config();
              Dataset d = csv != null ? TrainInputs.csv(csv, labelColumn) : Trainer.loadDataset(c);
              return new Prepared(Trainer.fit(c, d), d);
            });
    if (prepared == null || !dataDirUsable(err)) return BAD_INPUT;
    TrainingConfig config = prepared.config();
    Dataset data = prepared.data();
    String runId = Trainer.newRunId();
    RunLog log;
    try {
      log =
          new RunStore(dataDir, codec)
              .create(runId, config, RunStates.RUNNING, RunMeta.HEADLESS, null);
    } catch (IOException e) {
      err.println(
          "trainscope train: cannot write the run log under " + dataDir + ": " + ioMessage(e));
      return FAILED;
    }
    Path logPath = dataDir.resolve("runs").resolve(runId).resolve("events.ndjson");

    int every = printEvery != null ? printEvery : Math.max(1, config.epochs() / 50);
    ConsoleReporter reporter = new ConsoleReporter(out, every);
    boolean interactive = !noProgress && System.console() != null;
    ProgressBar bar = interactive ? progressBar(config, err) : null;
    RunControl control = new RunControl();
    try (StopOnSignal signal = new StopOnSignal(control)) {
      TrainingEvent last = null;
      try (log) {
        for (TrainingEvent event :
            Trainer.standard().train(runId, config, data, control).toIterable(256)) {
          log.append(event);
          if (bar != null) {
            bar.pause();
            if (!(event instanceof TrainingEvent.Insight)) {
              err.print("\r" + " ".repeat(80) + "\r"); // the table line goes where the bar was
              err.flush();
            }
          }
          reporter.accept(event);
          if (bar != null) {
            if (event instanceof TrainingEvent.Epoch e) bar.stepTo(e.epoch());
            bar.resume();
          }
          last = event;
        }
      } catch (IOException e) {
        err.println("trainscope train: cannot write " + logPath + ": " + ioMessage(e));
        return FAILED;
      } finally {
        if (bar != null) bar.close();
      }
      reporter.summary("Event log: " + logPath);
      if (signal.signalled()) {
        err.println(
            "trainscope train: interrupted: the run was stopped and its log closed ("
                + logPath.resolveSibling(RunStore.META_FILE)
                + " says stopped)");
      }
      out.flush();
      err.flush();
      return last instanceof TrainingEvent.RunFailed ? FAILED : 0;
    }
  }

  /** {@code --sweep}: every run of the sweep, then the results table. */
  private int sweep(PrintWriter out, PrintWriter err) {
    int threads = parallel != null ? parallel : ServerConfig.defaults().trainingPoolSize();
    PreparedSweep prepared =
        read(
            err,
            () -> {
              if (csv != null) {
                throw new InvalidValueException("csv", "--csv cannot be combined with --sweep");
              }
              if (threads < 1) {
                throw new InvalidValueException(
                    "parallel", "--parallel >= 1 required but was " + threads);
              }
              HeadlessSweep.Metric by =
                  HeadlessSweep.Metric.of(metric == null ? "val_loss" : metric);
              JsonNode request = TrainInputs.sweepFile(sweepFile, codec.mapper());
              SweepSpec spec = HeadlessSweep.spec(request, configJson());
              SweepPlan plan = SweepPlan.of(spec, codec);
              return new PreparedSweep(
                  request,
                  spec,
                  plan,
                  HeadlessSweep.fit(plan),
                  new HeadlessSweep(codec, dataDir, by, out));
            });
    if (prepared == null || !dataDirUsable(err)) return BAD_INPUT;
    HeadlessSweep sweep = prepared.sweep();
    SweepSpec sweepSpec = prepared.spec();
    SweepPlan plan = prepared.plan();
    JsonNode request = prepared.request();
    try (StopOnSignal signal = new StopOnSignal(sweep::stopAll)) {
      List<HeadlessSweep.Result> results =
          sweep.run(sweepSpec.name(), plan, prepared.fitted(), request, threads);
      sweep.table(results);
      out.println("Event logs: " + dataDir.resolve("runs"));
      out.flush();
      boolean failed = results.stream().anyMatch(r -> RunStates.FAILED.equals(r.state()));
      return failed ? FAILED : 0;
    } catch (IOException e) {
      err.println("trainscope train: cannot write under " + dataDir + ": " + ioMessage(e));
      return FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return FAILED;
    }
  }

  private record Prepared(TrainingConfig config, Dataset data) {}

  private record PreparedSweep(
      JsonNode request,
      SweepSpec spec,
      SweepPlan plan,
      List<HeadlessSweep.Fitted> fitted,
      HeadlessSweep sweep) {}

  private interface Input<T> {
    T read() throws IOException;
  }

  /** What the flags and files give; null, after a one-line message, when they are bad input. */
  private static <T> T read(PrintWriter err, Input<T> input) {
    try {
      return input.read();
    } catch (InvalidValueException | JsonInputException e) {
      err.println("trainscope train: " + e.getMessage());
    } catch (IOException | UncheckedIOException e) {
      err.println("trainscope train: " + ioMessage(e));
    }
    return null;
  }

  private boolean dataDirUsable(PrintWriter err) {
    var problem = DataDir.problem(dataDir);
    problem.ifPresent(p -> err.println("trainscope train: " + p));
    return problem.isEmpty();
  }

  /** Defaults, then --config, then flags; validated by the same codec the server uses. */
  TrainingConfig config() throws IOException {
    return codec.decodeConfig(configJson());
  }

  /** The fields --config and the flags give, not yet merged with the defaults. */
  private ObjectNode configJson() throws IOException {
    ObjectNode json = codec.mapper().createObjectNode();
    if (csv != null && dataset != null) {
      throw new InvalidValueException(
          "dataset", "--csv and --dataset conflict: the data comes from one of them");
    }
    if (labelColumn != null && csv == null) {
      throw new InvalidValueException("labelColumn", "--label-column requires --csv");
    }
    if (configFile != null) json.setAll(TrainInputs.configFile(configFile, codec.mapper()));
    ObjectNode optimizerJson =
        json.get("optimizer") instanceof ObjectNode o ? o : codec.mapper().createObjectNode();
    if (optimizer != null) optimizerJson.put("type", optimizer);
    if (learningRate != null) optimizerJson.put("learningRate", learningRate);
    if (momentum != null) optimizerJson.put("momentum", momentum);
    if (!optimizerJson.isEmpty()) json.set("optimizer", optimizerJson);
    if (layers != null) json.set("layers", parseLayers(layers));
    if (csv != null) json.put("dataset", csv.getFileName().toString());
    if (dataset != null) json.put("dataset", dataset);
    if (epochs != null) json.put("epochs", epochs);
    if (seed != null) json.put("seed", seed);
    if (batchSize != null) json.put("batchSize", batchSize);
    if (validationSplit != null) json.put("validationSplit", validationSplit);
    if (weightDecay != null) json.put("weightDecay", weightDecay);
    if (loss != null) json.put("loss", loss);
    if (initializer != null) json.put("initializer", initializer);
    if (samples != null) json.put("samples", samples);
    if (noise != null) json.put("noise", noise);
    if (traceEvery != null) json.put("traceEvery", traceEvery);
    if (batchEvents != null) json.put("batchEvents", batchEvents);
    if (name != null) json.put("name", name);
    return json;
  }

  private ArrayNode parseLayers(String spec) {
    ArrayNode array = codec.mapper().createArrayNode();
    for (String part : spec.split(",")) {
      String[] unitsAndActivation = part.trim().split("[:\\s]+");
      if (unitsAndActivation.length != 2) {
        throw new InvalidValueException(
            "layers", "--layers: units:activation required but was \"" + part.trim() + "\"");
      }
      int units;
      try {
        units = Integer.parseInt(unitsAndActivation[0]);
      } catch (NumberFormatException e) {
        throw new InvalidValueException(
            "layers",
            "--layers: an integer unit count required but was \"" + unitsAndActivation[0] + "\"");
      }
      array.addObject().put("units", units).put("activation", unitsAndActivation[1]);
    }
    return array;
  }

  private ProgressBar progressBar(TrainingConfig config, PrintWriter err) {
    return new ProgressBarBuilder()
        .setTaskName("Training")
        .setInitialMax(config.epochs())
        .setUnit(" epochs", 1)
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(200)
        .setConsumer(
            new DelegatingProgressBarConsumer(
                rendered -> {
                  err.print("\r" + rendered);
                  err.flush();
                },
                80))
        .clearDisplayOnFinish()
        .build();
  }

  private static String ioMessage(Exception e) {
    Throwable t = e instanceof UncheckedIOException u ? u.getCause() : e;
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }
}
