package dev.trainscope.server.cli;

import dev.trainscope.server.ServerConfig;
import dev.trainscope.server.TrainscopeServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trainscope serve}: maps its flags to a {@link ServerConfig} and runs the server. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Start the server and its dashboard; prints the URL when ready.")
public final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--host",
      description =
          "Address to bind (default: ${DEFAULT-VALUE}). Anything but loopback needs --token.")
  String host = ServerConfig.DEFAULT_HOST;

  @Option(names = "--port", description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port = ServerConfig.DEFAULT_PORT;

  @Option(names = "--data-dir", description = "Data directory (default: ./${DEFAULT-VALUE}).")
  Path dataDir = ServerConfig.DEFAULT_DATA_DIR;

  @Option(
      names = "--token",
      description = "Bearer token required by the API (default: $TRAINSCOPE_TOKEN).",
      defaultValue = "${env:TRAINSCOPE_TOKEN}")
  String token;

  @Option(
      names = "--cors-origin",
      description = "The one origin allowed to call the API from a browser (default: none).")
  String corsOrigin;

  @Option(
      names = "--pool-size",
      description =
          "Runs that train at once; more wait queued (default: the processor count, at least 2).")
  Integer poolSize;

  @Option(
      names = "--keras-gap-minutes",
      description = "A Keras RemoteMonitor client silent this long starts a new run (default: 30).")
  Integer kerasGapMinutes;

  @Option(
      names = "--stream-stall-seconds",
      description =
          "An event stream whose client reads nothing this long is closed; it resumes with"
              + " Last-Event-ID (default: 60).")
  Integer streamStallSeconds;

  @Option(
      names = "--max-open-logs",
      description =
          "Run logs kept open for writing; beyond it the least recently written closes its file"
              + " until its next write (default: 128).")
  Integer maxOpenLogs;

  private ServerConfig.Limits limits(ServerConfig.Limits limits) {
    if (streamStallSeconds != null) {
      limits = limits.withStreamStallLimit(Duration.ofSeconds(streamStallSeconds));
    }
    if (maxOpenLogs != null) limits = limits.withMaxOpenLogs(maxOpenLogs);
    return limits;
  }

  @Override
  public Integer call() {
    ServerConfig config;
    try {
      ServerConfig d = ServerConfig.defaults();
      config =
          new ServerConfig(
              host,
              port,
              dataDir,
              token,
              corsOrigin,
              poolSize == null ? d.trainingPoolSize() : poolSize,
              d.maxBodyBytes(),
              d.keepAlive(),
              d.retry(),
              d.idleTimeout(),
              kerasGapMinutes == null ? d.kerasGapMinutes() : kerasGapMinutes,
              limits(d.limits()));
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("trainscope: " + e.getMessage());
      return 2;
    }
    var problem = DataDir.problem(dataDir);
    if (problem.isPresent()) {
      spec.commandLine().getErr().println("trainscope serve: " + problem.get());
      return 2;
    }
    TrainscopeServer server;
    try {
      server = TrainscopeServer.start(config);
    } catch (Exception e) {
      spec.commandLine().getErr().println("trainscope: cannot start the server: " + e.getMessage());
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "trainscope-shutdown"));
    spec.commandLine().getOut().println("Trainscope listening on " + server.url());
    spec.commandLine().getOut().flush();
    server.awaitClose();
    return 0;
  }
}
