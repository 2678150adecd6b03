package dev.trainscope.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything the server is configured with, and its defaults (in one place: {@link #defaults()}).
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
    int kerasGapMinutes) {

  public static final int DEFAULT_KERAS_GAP_MINUTES = 30;
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final Path DEFAULT_DATA_DIR = Path.of("trainscope-data");
  public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

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
    if (token == null && !isLoopback(host)) {
      throw new IllegalArgumentException(
          "binding "
              + host
              + " exposes the server beyond this machine: set --token (or TRAINSCOPE_TOKEN)");
    }
  }

  public static ServerConfig defaults() {
    return new ServerConfig(
        DEFAULT_HOST,
        DEFAULT_PORT,
        DEFAULT_DATA_DIR,
        null,
        null,
        Math.max(2, Runtime.getRuntime().availableProcessors()),
        DEFAULT_MAX_BODY_BYTES,
        Duration.ofSeconds(15),
        Duration.ofSeconds(3),
        Duration.ofSeconds(60),
        DEFAULT_KERAS_GAP_MINUTES);
  }

  public ServerConfig withHost(String h) {
    return new ServerConfig(
        h,
        port,
        dataDir,
        token,
        corsOrigin,
        trainingPoolSize,
        maxBodyBytes,
        keepAlive,
        retry,
        idleTimeout,
        kerasGapMinutes);
  }

  public ServerConfig withPort(int p) {
    return new ServerConfig(
        host,
        p,
        dataDir,
        token,
        corsOrigin,
        trainingPoolSize,
        maxBodyBytes,
        keepAlive,
        retry,
        idleTimeout,
        kerasGapMinutes);
  }

  public ServerConfig withDataDir(Path d) {
    return new ServerConfig(
        host,
        port,
        d,
        token,
        corsOrigin,
        trainingPoolSize,
        maxBodyBytes,
        keepAlive,
        retry,
        idleTimeout,
        kerasGapMinutes);
  }

  public ServerConfig withToken(String t) {
    return new ServerConfig(
        host,
        port,
        dataDir,
        t,
        corsOrigin,
        trainingPoolSize,
        maxBodyBytes,
        keepAlive,
        retry,
        idleTimeout,
        kerasGapMinutes);
  }

  public ServerConfig withCorsOrigin(String o) {
    return new ServerConfig(
        host,
        port,
        dataDir,
        token,
        o,
        trainingPoolSize,
        maxBodyBytes,
        keepAlive,
        retry,
        idleTimeout,
        kerasGapMinutes);
  }

  public ServerConfig withTrainingPoolSize(int n) {
    return new ServerConfig(
        host,
        port,
        dataDir,
        token,
        corsOrigin,
        n,
        maxBodyBytes,
        keepAlive,
        retry,
        idleTimeout,
        kerasGapMinutes);
  }

  public ServerConfig withKeepAlive(Duration k) {
    return new ServerConfig(
        host,
        port,
        dataDir,
        token,
        corsOrigin,
        trainingPoolSize,
        maxBodyBytes,
        k,
        retry,
        idleTimeout,
        kerasGapMinutes);
  }

  public ServerConfig withKerasGapMinutes(int m) {
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
        m);
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
