package dev.trainscope.server.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder, being written. */
@Command(name = "train", description = "Train a network headless and write its event log.")
public final class TrainCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    return 1;
  }
}
