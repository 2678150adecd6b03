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
  /** The flags start at the config's defaults, which {@code --help} shows. */
  private static final ServerConfig DEFAULTS = ServerConfig.defaults();

  @Spec CommandSpec spec;

  @Option(
      names = "--host",
      description =
          "Address to bind (default: ${DEFAULT-VALUE}). Anything but loopback needs --token.")
  String host = DEFAULTS.host();

  @Option(names = "--port", description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port = DEFAULTS.port();

  @Option(names = "--data-dir", description = "Data directory (default: ./${DEFAULT-VALUE}).")
  Path dataDir = DEFAULTS.dataDir();

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
  Integer poolSize; // null: the config's default, which depends on the machine

  @Option(
      names = "--keras-gap-minutes",
      description =
          "A Keras RemoteMonitor client silent this long starts a new run (default:"
              + " ${DEFAULT-VALUE}).")
  int kerasGapMinutes = DEFAULTS.kerasGapMinutes();

  @Option(
      names = "--stream-stall-seconds",
      description =
          "An event stream whose client reads nothing this long is closed; it resumes with"
              + " Last-Event-ID (default: ${DEFAULT-VALUE}).")
  int streamStallSeconds = Math.toIntExact(DEFAULTS.limits().streamStallLimit().toSeconds());

  @Option(
      names = "--max-open-logs",
      description =
          "Run logs kept open for writing; beyond it the least recently written closes its file"
              + " until its next write (default: ${DEFAULT-VALUE}).")
  int maxOpenLogs = DEFAULTS.limits().maxOpenLogs();

  @Option(
      names = "--kafka",
      description =
          "Keep runs in this Kafka cluster (HOST:PORT[,HOST:PORT...]) instead of the data"
              + " directory, shared with other instances (default: $TRAINSCOPE_KAFKA, none).",
      defaultValue = "${env:TRAINSCOPE_KAFKA}")
  String kafka;

  @Option(
      names = "--kafka-prefix",
      description = "Prefix of every topic (default: ${DEFAULT-VALUE}).")
  String kafkaPrefix = "trainscope.";

  @Option(
      names = "--kafka-properties",
      description = "Kafka client properties (security, timeouts) from this file.")
  Path kafkaProperties;

  private ServerConfig.Kafka kafkaConfig() {
    java.util.Properties client = new java.util.Properties();
    if (kafkaProperties != null) {
      try (var in = java.nio.file.Files.newInputStream(kafkaProperties)) {
        client.load(in);
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException(
            "--kafka-properties: cannot read " + kafkaProperties + ": " + e.getMessage());
      }
    }
    client.put("bootstrap.servers", kafka.strip());
    return new ServerConfig.Kafka(client, kafkaPrefix);
  }

  @Override
  public Integer call() {
    ServerConfig config;
    try {
      ServerConfig.Builder b =
          ServerConfig.builder()
              .host(host)
              .port(port)
              .dataDir(dataDir)
              .token(token)
              .corsOrigin(corsOrigin)
              .kerasGapMinutes(kerasGapMinutes)
              .limits(
                  DEFAULTS
                      .limits()
                      .withStreamStallLimit(Duration.ofSeconds(streamStallSeconds))
                      .withMaxOpenLogs(maxOpenLogs));
      if (poolSize != null) b.trainingPoolSize(poolSize);
      if (kafka != null && !kafka.isBlank()) b.kafka(kafkaConfig());
      config = b.build();
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
