package dev.trainscope.server.cli;

import dev.trainscope.engine.event.DecisionBoundary;
import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.engine.event.TrainingEvent.Epoch;
import dev.trainscope.engine.event.TrainingEvent.Insight;
import dev.trainscope.engine.event.TrainingEvent.RunCompleted;
import dev.trainscope.engine.event.TrainingEvent.RunFailed;
import dev.trainscope.engine.event.TrainingEvent.RunStarted;
import dev.trainscope.engine.event.TrainingEvent.Status;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Prints a run as it trains, in the seed's table form: one line per epoch (epoch, loss, accuracy,
 * validation figures, observation), then a summary and a text chart of the loss. An epoch's line is
 * printed once its insights are in, i.e. when the next epoch or the end arrives.
 */
final class ConsoleReporter {
  static final String HEADER =
      String.format(
          Locale.ROOT,
          "%7s  %8s  %8s  %8s  %8s  %s",
          "epoch",
          "loss",
          "accuracy",
          "val_loss",
          "val_acc",
          "observation");

  private final PrintWriter out;
  private final int every;
  private final List<Double> losses = new ArrayList<>();
  private final List<Insight> pendingInsights = new ArrayList<>();
  private final List<Insight> warnings = new ArrayList<>();
  private Epoch pending;

  /** The last decision-boundary map of a 2-input run, drawn at the end. */
  private DecisionBoundary boundary;

  private Epoch previous;
  private RunStarted started;
  private TrainingEvent last;

  /**
   * @param every print every n-th epoch line (epochs with an insight, the first and the last are
   *     always printed)
   */
  ConsoleReporter(PrintWriter out, int every) {
    this.out = out;
    this.every = Math.max(1, every);
  }

  void accept(TrainingEvent event) {
    last = event;
    if (event instanceof RunStarted s) {
      started = s;
      describe(s);
      out.println(HEADER);
    } else if (event instanceof Epoch e) {
      flushEpoch();
      pending = e;
      if (e.loss() != null) losses.add(e.loss());
    } else if (event instanceof Insight i) {
      pendingInsights.add(i);
      if (!i.level().equals("info") && !i.level().equals("success")) warnings.add(i);
    } else if (event instanceof Status s) {
      flushEpoch();
      out.printf(Locale.ROOT, "  -- %s after epoch %d --%n", s.state(), s.epoch());
    } else if (event instanceof DecisionBoundary b) {
      boundary = b;
    } else if (event instanceof RunCompleted || event instanceof RunFailed) {
      flushEpoch();
    }
    out.flush();
  }

  /** The run's header; an external run (pushed by another trainer) may lack config and data. */
  private void describe(RunStarted s) {
    var c = s.config();
    var d = s.dataset();
    out.printf(Locale.ROOT, "Run %s: %s%n", s.runId(), c == null ? "external run" : c.name());
    if (d != null) {
      out.printf(
          Locale.ROOT,
          "  data %s: %d samples, %d features, classes %s (train %d, validation %d)%n",
          d.name(),
          d.samples(),
          d.features(),
          d.classes(),
          d.trainSize(),
          d.validationSize());
    }
    if (!s.model().layers().isEmpty()) {
      out.printf(
          Locale.ROOT,
          "  model %d -> %s, %d parameters%n",
          s.model().inputs(),
          s.model().layers().stream()
              .map(l -> l.units() + " " + l.activation())
              .collect(Collectors.joining(" -> ")),
          s.model().parameters());
    }
    if (c != null) {
      out.printf(
          Locale.ROOT,
          "  %s, learning rate %s, batch %d, %d epochs, seed %d%n",
          c.optimizer().type(),
          c.optimizer().learningRate(),
          c.batchSize(),
          c.epochs(),
          c.seed());
    }
    out.println();
  }

  private void flushEpoch() {
    if (pending == null) return;
    Epoch e = pending;
    boolean notable = !pendingInsights.isEmpty();
    if (e.epoch() == 1 || e.epoch() >= e.epochs() || e.epoch() % every == 0 || notable) {
      out.println(line(e, observation(e)));
    }
    previous = e;
    pending = null;
    pendingInsights.clear();
  }

  private String observation(Epoch e) {
    // The engine's own sentence, the same words the dashboard and remote tools show.
    if (e.observation() != null) return e.observation();
    if (!pendingInsights.isEmpty()) {
      return pendingInsights.stream()
          .map(ConsoleReporter::shortLabel)
          .collect(Collectors.joining("; "));
    }
    if (previous == null || previous.loss() == null || e.loss() == null) return "";
    double change = (e.loss() - previous.loss()) / Math.max(previous.loss(), 1e-12) * 100;
    return String.format(
        Locale.ROOT, "loss %s %.1f%%", change <= 0 ? "down" : "up", Math.abs(change));
  }

  static String shortLabel(Insight i) {
    String layer = i.layer() == null ? "" : " (layer " + (i.layer() + 1) + ")";
    return switch (i.code()) {
      case "started" -> "training started";
      case "loss-decreasing" -> "loss decreasing";
      case "loss-rising" -> "loss rising";
      case "plateau" -> "plateau";
      case "overfitting" -> "overfitting";
      case "converged" -> "converged";
      case "dead-relu" -> "dead ReLU units" + layer;
      case "saturated-sigmoid" -> "saturated sigmoids" + layer;
      case "diverged" -> "diverged";
      default -> i.code() + layer;
    };
  }

  static String line(Epoch e, String observation) {
    return String.format(
            Locale.ROOT,
            "%7d  %8s  %8s  %8s  %8s  %s",
            e.epoch(),
            num(e.loss()),
            num(e.accuracy()),
            num(e.valLoss()),
            num(e.valAccuracy()),
            observation)
        .stripTrailing();
  }

  private static String num(Double v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%.4f", v);
  }

  /** The closing summary and loss chart; {@code source} says where the events are kept. */
  void summary(String source) {
    out.println();
    if (last instanceof RunCompleted c) {
      out.printf(
          Locale.ROOT,
          "%s after %d epochs in %.1f s: loss %s, accuracy %s, validation loss %s, validation"
              + " accuracy %s%n",
          c.stopped() ? "Stopped" : "Completed",
          c.epochs(),
          c.durationMs() / 1000.0,
          num(c.loss()),
          num(c.accuracy()),
          num(c.valLoss()),
          num(c.valAccuracy()));
      if (!c.confusionMatrix().isEmpty()) {
        out.printf(
            "Confusion matrix (%s set; rows: actual, columns: predicted)%n", c.confusionSet());
        int w = Math.max(6, c.classes().stream().mapToInt(String::length).max().orElse(6));
        out.print(" ".repeat(w + 2));
        for (String cls : c.classes()) out.printf(Locale.ROOT, "%" + (w + 1) + "s", cls);
        out.println();
        for (int r = 0; r < c.confusionMatrix().size(); r++) {
          out.printf(Locale.ROOT, "  %" + w + "s", c.classes().get(r));
          for (int v : c.confusionMatrix().get(r)) out.printf(Locale.ROOT, "%" + (w + 1) + "d", v);
          out.println();
        }
      }
    } else if (last instanceof RunFailed f) {
      out.printf(Locale.ROOT, "Failed at epoch %d: %s%n", f.epoch(), f.reason());
    }
    if (!warnings.isEmpty()) {
      out.println("Observations:");
      warnings.forEach(w -> out.printf(Locale.ROOT, "  epoch %d: %s%n", w.epoch(), w.message()));
    }
    if (losses.size() > 1) {
      out.println();
      out.println("Training loss by epoch");
      AsciiChart.render(losses, 60, 10).forEach(out::println);
      out.printf(
          Locale.ROOT,
          "%10s epoch 1%s%d%n",
          "",
          " "
              .repeat(
                  Math.max(
                      1, Math.min(60, losses.size()) - 8 - String.valueOf(losses.size()).length())),
          losses.size());
    }
    if (boundary != null && started != null && started.dataset() != null) {
      out.println();
      out.println("Decision boundary (what the network predicts over the plane)");
      BoundaryText.render(boundary, started.dataset().classes()).forEach(out::println);
    }
    out.println();
    out.println(source);
    out.flush();
  }

  RunStarted started() {
    return started;
  }
}
