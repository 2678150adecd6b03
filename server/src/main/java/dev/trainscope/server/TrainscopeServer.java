package dev.trainscope.server;

import dev.trainscope.server.http.BadRequestHandler;
import dev.trainscope.server.http.Routes;
import dev.trainscope.server.json.EventCodec;
import dev.trainscope.server.kafka.KafkaStore;
import dev.trainscope.server.log.LogStore;
import dev.trainscope.server.log.RunStore;
import dev.trainscope.server.mlflow.Experiments;
import dev.trainscope.server.mlflow.MlflowRuns;
import dev.trainscope.server.remote.KerasSessions;
import dev.trainscope.server.runs.RunManager;
import dev.trainscope.server.runs.Sweeps;
import dev.trainscope.server.sweep.SweepStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Function;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.netty.DisposableServer;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

/**
 * The running server: loads the data directory, then serves the API, the event streams and the
 * dashboard on Reactor Netty. Handlers never block their event loop: training runs on its pool,
 * disk I/O on the disk pool. Close it to stop.
 */
public final class TrainscopeServer implements AutoCloseable {

  private final ServerConfig config;
  private final RunManager runs;
  private final DisposableServer server;
  private final Disposable kerasSweep;
  private final MlflowRuns mlflow;

  private TrainscopeServer(
      ServerConfig config,
      RunManager runs,
      DisposableServer server,
      Disposable kerasSweep,
      MlflowRuns mlflow) {
    this.config = config;
    this.runs = runs;
    this.server = server;
    this.kerasSweep = kerasSweep;
    this.mlflow = mlflow;
  }

  /** Loads every run under {@code DATA/runs/} and binds; returns once listening. */
  public static TrainscopeServer start(ServerConfig config) throws IOException {
    return start(config, RunManager::diskScheduler);
  }

  /**
   * As {@link #start(ServerConfig)}, with the Keras session sweep on {@code kerasSweepOn} of the
   * runs (their disk scheduler; a test passes a virtual one).
   */
  static TrainscopeServer start(ServerConfig config, Function<RunManager, Scheduler> kerasSweepOn)
      throws IOException {
    EventCodec codec = new EventCodec();
    LogStore store = store(config, codec);
    RunManager runs = new RunManager(store, config.trainingPoolSize());
    runs.useDatasets(new dev.trainscope.server.runs.DatasetStore(config.dataDir()));
    try {
      runs.loadAll();
      Sweeps sweeps = new Sweeps(runs, new SweepStore(config.dataDir(), codec.mapper()));
      sweeps.loadAll();
      MlflowRuns mlflow =
          new MlflowRuns(
              runs,
              new Experiments(config.dataDir(), codec.mapper(), runs.clock()),
              codec.mapper(),
              config.mlflowStepWait());
      mlflow.loadAll();
      KerasSessions keras =
          new KerasSessions(
              runs,
              Duration.ofMinutes(config.kerasGapMinutes()),
              runs.clock(),
              config.limits().maxKerasSessions());
      Routes routes = new Routes(config, runs, sweeps, mlflow, codec, keras);
      DisposableServer server =
          HttpServer.create()
              .host(config.host())
              .port(config.port())
              .idleTimeout(config.idleTimeout())
              .httpRequestDecoder(spec -> spec.maxInitialLineLength(8192).maxHeaderSize(16384))
              .doOnChannelInit(
                  (observer, channel, address) -> {
                    if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
                      channel
                          .pipeline()
                          .addAfter(
                              NettyPipeline.HttpCodec,
                              BadRequestHandler.NAME,
                              new BadRequestHandler());
                    }
                  })
              .handle(routes::handle)
              .bindNow(Duration.ofSeconds(30));
      TrainscopeServer started =
          new TrainscopeServer(
              config, runs, server, keras.sweepOn(kerasSweepOn.apply(runs)), mlflow);
      if (store instanceof KafkaStore kafka) kafka.advertise(started.url());
      return started;
    } catch (RuntimeException | IOException e) {
      runs.close();
      throw e;
    }
  }

  private static LogStore store(ServerConfig config, EventCodec codec) throws IOException {
    if (config.kafka() == null) {
      return new RunStore(
          config.dataDir(), codec, System::currentTimeMillis, config.limits().maxOpenLogs());
    }
    // Named by host and port once bound; until then (loading) it creates no runs.
    return new KafkaStore(
        config.kafka().client(),
        config.kafka().prefix(),
        codec,
        config.dataDir(),
        config.host(),
        config.kafka().lease());
  }

  public int port() {
    return ((InetSocketAddress) server.address()).getPort();
  }

  public String host() {
    return config.host();
  }

  /** {@code http://host:port/} (IPv6 hosts in brackets). */
  public String url() {
    String h = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
    return "http://" + h + ":" + port() + "/";
  }

  public RunManager runs() {
    return runs;
  }

  /** Blocks until the server is closed. */
  public void awaitClose() {
    server.onDispose().block();
  }

  @Override
  public void close() {
    kerasSweep.dispose(); // first: a sweep must not finish a run whose log is closing
    server.disposeNow(Duration.ofSeconds(5));
    mlflow.close(); // writes the steps still collecting while their logs are open
    runs.close();
  }
}
