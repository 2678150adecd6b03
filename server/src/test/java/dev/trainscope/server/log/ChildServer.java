package dev.trainscope.server.log;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code trainscope serve} in a child JVM under a descriptor limit ({@code ulimit -n}), on
 * 127.0.0.1 port 0, with this JVM's class path. Close it to end the child.
 */
final class ChildServer implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+?)/?$");
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  final Process process;
  final String url;
  final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final StringBuffer output = new StringBuffer();

  static boolean supported() {
    return Files.isExecutable(Path.of("/bin/bash"));
  }

  ChildServer(int maxFiles, Path dataDir, List<String> flags) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    StringBuilder cmd = new StringBuilder("ulimit -n " + maxFiles + " && exec '" + java + "'");
    cmd.append(" -Xmx256m -cp '").append(System.getProperty("java.class.path")).append("'");
    cmd.append(" dev.trainscope.server.cli.Main serve --port 0 --data-dir '")
        .append(dataDir)
        .append("'");
    for (String f : flags) cmd.append(' ').append(f);
    process =
        new ProcessBuilder("/bin/bash", "-c", cmd.toString()).redirectErrorStream(true).start();
    CompletableFuture<String> ready = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  output.append(line).append('\n');
                  Matcher m = LISTENING.matcher(line);
                  if (m.find()) ready.complete(m.group(1));
                }
              } catch (IOException e) {
                ready.completeExceptionally(e);
              }
              ready.completeExceptionally(new IllegalStateException("child ended:\n" + output));
            },
            "child-server-output");
    reader.setDaemon(true);
    reader.start();
    url = ready.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  String output() {
    return output.toString();
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url + path)).timeout(TIMEOUT).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A GET on a connection of its own, as a new client makes it. */
  HttpResponse<String> getOnNewConnection(String path) throws Exception {
    HttpClient once = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    return once.send(
        HttpRequest.newBuilder(URI.create(url + path)).timeout(TIMEOUT).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String json) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url + path))
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
  }
}
