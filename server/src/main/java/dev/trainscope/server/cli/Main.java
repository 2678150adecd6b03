package dev.trainscope.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code trainscope train|serve ...}: the one entry point of the runnable jar. */
@Command(
    name = "trainscope",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Watch a neural network learn, live.",
    subcommands = {
      TrainCommand.class,
      ServeCommand.class,
      TailCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line (also used by tests, with their own output streams). */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    // A bad flag gets one line naming it and the usage, never a stack trace.
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine cmd = ex.getCommandLine();
          cmd.getErr().println("trainscope: " + ex.getMessage());
          cmd.getErr()
              .println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
          return 2;
        });
    return cl;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"trainscope " + (v == null ? "dev" : v)};
    }
  }
}
