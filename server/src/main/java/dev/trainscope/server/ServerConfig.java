package dev.trainscope.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything the server is configured with, and its defaults (in one place: {@link Builder}).
 *
 * @param host address to bind; anything but a loopback address requires a token
 * @param port port to bind; 0 picks a free one
 * @param dataDir the data directory ({@code DATA/runs/<id>/})
 * @param token when set, every API request needs {@code Authorization: Bearer <token>} (streams and
 *     other GETs also accept {@code ?access_token=})
 * @param corsOrigin the one origin allowed to call the API from a browser, or null (CORS off)
 * @param trainingPoolSize runs that train at once; more wait as {@code queued}
 * @param maxBodyBytes largest request body accepted (413 beyond)
 * @param keepAlive interval of {@code : keep-alive} comments on idle event streams
 * @param retry reconnection delay announced to EventSource clients
 * @param idleTimeout how long a connection may sit idle between requests
 * @param kerasGapMinutes a Keras RemoteMonitor client silent for longer than this starts a new run
 * @param mlflowStepWait how long an MLflow step's metrics wait for more of the same step before
 *     they are written as its epoch event (a metric of another step writes them at once)
 * @param limits what a crowd of clients may hold of the server's memory and file descriptors
 */
public record ServerConfig(
    String host,
    int port,
    Path dataDir,
    String token,
    String corsOrigin,
    int trainingPoolSize,
    int maxBodyBytes,
    Duration keepAlive,
    Duration retry,
    Duration idleTimeout,
    int kerasGapMinutes,
    Duration mlflowStepWait,
    Limits limits,
    Kafka kafka) {

  /**
   * Runs kept in a Kafka cluster instead of the data directory.
   *
   * @param client Kafka client properties, {@code bootstrap.servers} at least
   * @param prefix of every topic this deployment uses (several deployments can share a cluster)
   * @param lease how long an instance may stay silent before another takes it for dead
   */
  public record Kafka(java.util.Properties client, String prefix, Duration lease) {
    /** An instance silent this long is taken for dead; another marks its runs interrupted. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(10);

    public Kafka(java.util.Properties client, String prefix) {
      this(client, prefix, DEFAULT_LEASE);
    }

    public Kafka {
      if (lease == null) lease = DEFAULT_LEASE;
      if (lease.toMillis() < 3) {
        throw new IllegalArgumentException("kafka lease >= 3 ms required but was " + lease);
      }
      if (client == null || client.getProperty("bootstrap.servers", "").isBlank()) {
        throw new IllegalArgumentException("kafka bootstrap.servers (HOST:PORT[,...]) required");
      }
      if (prefix == null) prefix = "trainscope.";
      if (!prefix.matches("[A-Za-z0-9._-]*")) {
        throw new IllegalArgumentException(
            "kafka prefix of letters, digits, '.', '_' and '-' required but was " + prefix);
      }
    }
  }

  public ServerConfig {
    if (host == null || host.isBlank()) throw new IllegalArgumentException("host required");
    if (port < 0 || port > 65535) throw new IllegalArgumentException("port in [0, 65535] required");
    if (dataDir == null) throw new IllegalArgumentException("data directory required");
    if (token != null && token.isBlank()) token = null;
    if (corsOrigin != null && corsOrigin.isBlank()) corsOrigin = null;
    if (trainingPoolSize < 1)
      throw new IllegalArgumentException("training pool size >= 1 required");
    if (maxBodyBytes < 1) throw new IllegalArgumentException("max body size >= 1 required");
    if (kerasGapMinutes < 0) throw new IllegalArgumentException("keras gap minutes >= 0 required");
    if (limits == null) limits = Limits.defaults();
    if (mlflowStepWait == null || mlflowStepWait.isNegative()) {
      throw new IllegalArgumentException(
          "mlflow step wait >= 0 required but was " + mlflowStepWait);
    }
    if (token == null && !isLoopback(host)) {
      throw new IllegalArgumentException(
          "binding "
              + host
              + " exposes the server beyond this machine: set --token (or TRAINSCOPE_TOKEN)");
    }
  }

  /** The defaults: every field as {@link Builder} starts it. */
  public static ServerConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.host = host;
    b.port = port;
    b.dataDir = dataDir;
    b.token = token;
    b.corsOrigin = corsOrigin;
    b.trainingPoolSize = trainingPoolSize;
    b.maxBodyBytes = maxBodyBytes;
    b.keepAlive = keepAlive;
    b.retry = retry;
    b.idleTimeout = idleTimeout;
    b.kerasGapMinutes = kerasGapMinutes;
    b.mlflowStepWait = mlflowStepWait;
    b.limits = limits;
    b.kafka = kafka;
    return b;
  }

  /** Builds a config; every field starts at its default (the one place the defaults are). */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 8080;
    private Path dataDir = Path.of("trainscope-data");
    private String token = null;
    private String corsOrigin = null;
    private int trainingPoolSize = Math.max(2, Runtime.getRuntime().availableProcessors());
    private int maxBodyBytes = 1024 * 1024;
    private Duration keepAlive = Duration.ofSeconds(15);
    private Duration retry = Duration.ofSeconds(3);
    private Duration idleTimeout = Duration.ofSeconds(60);
    private int kerasGapMinutes = 30;
    private Duration mlflowStepWait = Duration.ofSeconds(1);
    private Limits limits = Limits.defaults();
    private Kafka kafka = null;

    /** Null: runs in the data directory (the default). */
    public Builder kafka(Kafka v) {
      kafka = v;
      return this;
    }

    private Builder() {}

    public Builder host(String v) {
      host = v;
      return this;
    }

    public Builder port(int v) {
      port = v;
      return this;
    }

    public Builder dataDir(Path v) {
      dataDir = v;
      return this;
    }

    public Builder token(String v) {
      token = v;
      return this;
    }

    public Builder corsOrigin(String v) {
      corsOrigin = v;
      return this;
    }

    public Builder trainingPoolSize(int v) {
      trainingPoolSize = v;
      return this;
    }

    public Builder maxBodyBytes(int v) {
      maxBodyBytes = v;
      return this;
    }

    public Builder keepAlive(Duration v) {
      keepAlive = v;
      return this;
    }

    public Builder retry(Duration v) {
      retry = v;
      return this;
    }

    public Builder idleTimeout(Duration v) {
      idleTimeout = v;
      return this;
    }

    public Builder kerasGapMinutes(int v) {
      kerasGapMinutes = v;
      return this;
    }

    public Builder mlflowStepWait(Duration v) {
      mlflowStepWait = v;
      return this;
    }

    public Builder limits(Limits v) {
      limits = v;
      return this;
    }

    public ServerConfig build() {
      return new ServerConfig(
          host,
          port,
          dataDir,
          token,
          corsOrigin,
          trainingPoolSize,
          maxBodyBytes,
          keepAlive,
          retry,
          idleTimeout,
          kerasGapMinutes,
          mlflowStepWait,
          limits,
          kafka);
    }
  }

  /**
   * Bounds on what clients can make the server hold.
   *
   * @param streamStallLimit an event stream whose client has taken no bytes for this long (its
   *     connection's buffer stays full) is closed; the client resumes with {@code Last-Event-ID}
   * @param maxStreams event streams open at once; more are answered 503, so the memory queued for
   *     slow clients is at most {@code maxStreams} times the per-stream budget
   * @param maxOpenLogs run logs kept open for writing; beyond it the least recently written closes
   *     its file until its next write
   * @param maxKerasSessions Keras clients followed at once; a new one beyond it completes the run
   *     of the client silent the longest
   */
  public record Limits(
      Duration streamStallLimit, int maxStreams, int maxOpenLogs, int maxKerasSessions) {
    public static final Duration DEFAULT_STREAM_STALL_LIMIT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_STREAMS = 2000;
    public static final int DEFAULT_MAX_OPEN_LOGS = 128;
    public static final int DEFAULT_MAX_KERAS_SESSIONS = 64;

    public Limits {
      if (streamStallLimit == null || streamStallLimit.isNegative() || streamStallLimit.isZero()) {
        throw new IllegalArgumentException(
            "stream stall limit > 0 required but was " + streamStallLimit);
      }
      if (maxStreams < 1) {
        throw new IllegalArgumentException("max streams >= 1 required but was " + maxStreams);
      }
      if (maxOpenLogs < 1) {
        throw new IllegalArgumentException("max open logs >= 1 required but was " + maxOpenLogs);
      }
      if (maxKerasSessions < 1) {
        throw new IllegalArgumentException(
            "max Keras sessions >= 1 required but was " + maxKerasSessions);
      }
    }

    public static Limits defaults() {
      return new Limits(
          DEFAULT_STREAM_STALL_LIMIT,
          DEFAULT_MAX_STREAMS,
          DEFAULT_MAX_OPEN_LOGS,
          DEFAULT_MAX_KERAS_SESSIONS);
    }

    public Limits withStreamStallLimit(Duration d) {
      return new Limits(d, maxStreams, maxOpenLogs, maxKerasSessions);
    }

    public Limits withMaxStreams(int n) {
      return new Limits(streamStallLimit, n, maxOpenLogs, maxKerasSessions);
    }

    public Limits withMaxOpenLogs(int n) {
      return new Limits(streamStallLimit, maxStreams, n, maxKerasSessions);
    }

    public Limits withMaxKerasSessions(int n) {
      return new Limits(streamStallLimit, maxStreams, maxOpenLogs, n);
    }
  }

  /** True when the server binds a loopback address (a name is resolved once, at start). */
  public boolean bindsLoopback() {
    return isLoopback(host);
  }

  static boolean isLoopback(String host) {
    if (host.equalsIgnoreCase("localhost")) return true;
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
