package dev.trainscope.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code trainscope serve} in a JVM of its own, started fresh, on 127.0.0.1 and a free port, with
 * its own data directory: a server as a user starts it, not one warmed up by the harness.
 */
final class ServerProcess implements AutoCloseable {
  private static final String READY = "Trainscope listening on ";
  private final Process process;
  private final String url;

  private ServerProcess(Process process, String url) {
    this.process = process;
    this.url = url;
  }

  /** Starts the server with the harness's own classpath; its output goes to {@code logFile}. */
  static ServerProcess start(List<String> jvmArgs, Path dataDir, Path logFile)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.trainscope.server.cli.Main");
    command.addAll(List.of("serve", "--host", "127.0.0.1", "--port", "0"));
    command.addAll(List.of("--data-dir", dataDir.toString()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    CompletableFuture<String> ready = new CompletableFuture<>();
    Thread drain =
        new Thread(
            () -> {
              try (BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                  PrintStream log = new PrintStream(Files.newOutputStream(logFile), true)) {
                for (String line; (line = in.readLine()) != null; ) {
                  log.println(line);
                  if (line.startsWith(READY)) ready.complete(line.substring(READY.length()).trim());
                }
              } catch (IOException e) {
                ready.completeExceptionally(e);
              }
              ready.completeExceptionally(new IOException("the server exited; see " + logFile));
            },
            "server-output");
    drain.setDaemon(true);
    drain.start();
    try {
      return new ServerProcess(p, ready.get(60, TimeUnit.SECONDS).replaceAll("/$", ""));
    } catch (ExecutionException | TimeoutException e) {
      p.destroyForcibly();
      throw new IOException("the server did not start; see " + logFile, e);
    }
  }

  String url() {
    return url;
  }

  /** Stops it as Ctrl-C would (its shutdown hook closes the logs). */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
  }
}
