package dev.trainscope.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code trainscope serve} in a child JVM on 127.0.0.1, port 0, so that a test can kill it the hard
 * way ({@link #kill()}: SIGKILL, no shutdown hook runs). Close it after each test.
 */
public final class ChildServer implements AutoCloseable {
  private static final String READY = "Trainscope listening on ";

  private final Process process;
  private final String url;

  private ChildServer(Process process, String url) {
    this.process = process;
    this.url = url;
  }

  /** Starts the server on {@code dataDir}; returns once it listens (or fails within the time). */
  public static ChildServer start(Path dataDir, Duration timeout) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.trainscope.server.cli.Main",
                "serve",
                "--port",
                "0",
                "--data-dir",
                dataDir.toString())
            // In the data directory, which the test's cleanup removes; the server ignores it.
            .redirectError(dataDir.resolve("server.stderr").toFile())
            .start();
    CompletableFuture<String> ready =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                BufferedReader out =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                for (String line; (line = out.readLine()) != null; ) {
                  if (line.startsWith(READY)) return line.substring(READY.length()).strip();
                }
                throw new IllegalStateException("the child server exited before it listened");
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    try {
      String url = ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return new ChildServer(process, url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    } catch (Exception e) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw e;
    }
  }

  /** {@code http://127.0.0.1:<port>} without a trailing slash. */
  public String url() {
    return url;
  }

  /** SIGKILL, and waits until the process is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) throw new IllegalStateException("still alive");
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) kill();
  }
}
