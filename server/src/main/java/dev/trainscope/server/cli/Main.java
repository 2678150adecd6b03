package dev.trainscope.server.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
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

  /** The project version, written into {@code version.properties} by the build. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties p = new Properties();
      try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
        if (in != null) p.load(in);
      }
      return new String[] {"trainscope " + p.getProperty("version", "unknown")};
    }
  }
}
