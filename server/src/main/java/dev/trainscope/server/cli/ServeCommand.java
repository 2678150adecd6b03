package dev.trainscope.server.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder: the server issue replaces this with the real {@code serve} command. */
@Command(name = "serve", description = "Start the server and its dashboard.")
public final class ServeCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("trainscope: serve is not built yet");
    return 1;
  }
}
