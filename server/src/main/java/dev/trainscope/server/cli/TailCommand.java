package dev.trainscope.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainscope.engine.check.InvalidValueException;
import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.server.client.SseParser;
import dev.trainscope.server.json.EventCodec;
import dev.trainscope.server.json.JsonInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code trainscope tail URL}: follows one run's event stream over SSE and prints it as the {@code
 * train} table (or as NDJSON). A dropped connection is resumed with {@code Last-Event-ID}, so every
 * event is printed exactly once; it exits when the run has finished.
 *
 * <p>Exit codes: 0 the run completed (or was already fully read), 1 it failed or the connection
 * could not be re-established, 2 bad arguments, unknown run or a refused request.
 */
@Command(
    name = "tail",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    sortOptions = false,
    description = {
      "Follow a run's events live from a Trainscope server, resuming after dropped connections.",
      "URL is a run (http://host:port/api/runs/ID) or a server (its newest run is followed)."
    })
public final class TailCommand implements Callable<Integer> {
  static final int FAILED = 1;
  static final int BAD_INPUT = 2;
  private static final Pattern RUN_PATH = Pattern.compile("^(.*?)/api/runs/([^/?#]+)(?:/.*)?$");

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "URL", description = "A run's URL or the server's URL.")
  URI url;

  @Option(
      names = "--types",
      paramLabel = "LIST",
      description = "Only these event types, comma-separated (e.g. epoch,insight).")
  String types;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table (default) or ndjson (one event JSON per line).")
  String format;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description = "Bearer token, when the server requires one (default: $TRAINSCOPE_TOKEN).")
  String token = System.getenv("TRAINSCOPE_TOKEN");

  @Option(
      names = "--max-retries",
      paramLabel = "N",
      defaultValue = "10",
      description =
          "Consecutive failed connects before giving up, each said on stderr, waiting 0.25 s"
              + " doubling to 5 s between them (default: ${DEFAULT-VALUE}, about 35 s).")
  int maxRetries;

  private int failures;
  private long backoffMs = 250;

  private final EventCodec codec = new EventCodec();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!format.equals("table") && !format.equals("ndjson")) {
      err.println("trainscope tail: --format table or ndjson required but was " + format);
      return BAD_INPUT;
    }
    URI events = null;
    while (events == null) {
      try {
        events = eventsUri();
      } catch (InvalidValueException | JsonInputException | Refused e) {
        err.println("trainscope tail: " + e.getMessage());
        return BAD_INPUT;
      } catch (IOException e) {
        if (!retry(err, "cannot connect to " + runsUri(), e)) return FAILED;
      }
    }
    failures = 0;
    backoffMs = 250;

    ConsoleReporter reporter = new ConsoleReporter(out, 1);
    String lastId = null;
    Long lastSeq = null;
    TrainingEvent terminal = null;
    boolean connected = false;
    while (true) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(events).header("Accept", "text/event-stream").GET();
      if (lastId != null) request.header("Last-Event-ID", lastId);
      if (token != null && !token.isBlank()) request.header("Authorization", "Bearer " + token);
      try {
        HttpResponse<Stream<String>> response =
            http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        int status = response.statusCode();
        if (status == 204) break; // the server has nothing more: the run is finished and read
        if (status != 200) {
          String body = String.join(" ", response.body().toList());
          err.println("trainscope tail: " + events + " answered " + status + " " + body);
          return status >= 500 ? FAILED : BAD_INPUT;
        }
        failures = 0;
        connected = true;
        SseParser parser = new SseParser();
        int received = 0;
        try (Stream<String> lines = response.body()) {
          Iterator<String> it = lines.iterator();
          while (terminal == null && it.hasNext()) {
            var message = parser.accept(it.next());
            if (message.isEmpty()) continue;
            Long seq = parseSeq(message.get().id());
            if (seq != null && lastSeq != null && seq <= lastSeq) continue; // never print twice
            TrainingEvent event;
            try {
              event = codec.decode(message.get().data());
            } catch (InvalidValueException | JsonInputException e) {
              err.println("trainscope tail: skipping an unreadable event: " + e.getMessage());
              continue;
            } finally {
              lastId = message.get().id();
              if (seq != null) lastSeq = seq;
            }
            if (format.equals("ndjson")) {
              out.println(message.get().data());
              out.flush();
            } else {
              reporter.accept(event);
            }
            received++;
            if (event.isTerminal()) terminal = event;
          }
        } catch (UncheckedIOException e) {
          // The connection broke mid-stream; what was read is printed, the rest comes on reconnect.
          if (terminal == null) throw e.getCause();
        }
        if (terminal != null) break;
        // A stream that ends cleanly with nothing new means the run is over (e.g. its terminal
        // event was filtered out by --types); otherwise it was cut: resume after the last event.
        if (received == 0) break;
      } catch (IOException e) {
        String what = (connected ? "connection to " : "cannot connect to ") + events;
        if (!retry(err, what, e)) return FAILED;
        continue;
      }
      backoffMs = 250;
    }
    if (format.equals("table")) reporter.summary("Stream: " + events);
    return terminal instanceof TrainingEvent.RunFailed ? FAILED : 0;
  }

  /**
   * Says a failed connect (the first of a streak names the URL and the cause), then waits and
   * returns true to try again, or says it gives up and returns false after {@code --max-retries}.
   */
  private boolean retry(PrintWriter err, String what, IOException e) throws InterruptedException {
    if (failures == 0) err.println("trainscope tail: " + what + ": " + cause(e));
    if (++failures > maxRetries) {
      err.println(
          "trainscope tail: giving up after "
              + maxRetries
              + (maxRetries == 1 ? " retry" : " retries"));
      return false;
    }
    err.printf(
        Locale.ROOT,
        "trainscope tail: retry %d of %d in %.2f s%n",
        failures,
        maxRetries,
        backoffMs / 1000.0);
    err.flush();
    Thread.sleep(backoffMs); // back off before reconnecting, as EventSource does
    backoffMs = Math.min(5_000, backoffMs * 2);
    return true;
  }

  /** The JDK client's connect errors carry no message; name the cause from the exception. */
  static String cause(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnresolvedAddressException) return "unknown host";
    }
    if (e instanceof HttpConnectTimeoutException) return "no answer to connect within 5 s";
    if (e instanceof HttpTimeoutException) return "timed out";
    if (e instanceof ConnectException) return "connection refused";
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null) return t.getMessage();
    }
    return e.getClass().getSimpleName();
  }

  /** A request the server answered with an error: retrying will not help. */
  private static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  private String runsUri() {
    return url.getScheme()
        + "://"
        + url.getRawAuthority()
        + (url.getRawPath() == null ? "" : url.getRawPath().replaceAll("/+$", ""))
        + "/api/runs";
  }

  private static Long parseSeq(String id) {
    if (id == null) return null;
    try {
      return Long.parseLong(id.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The run's SSE URL: from a run URL directly, or the newest run of a server URL. */
  URI eventsUri() throws IOException, InterruptedException {
    String s = url.toString();
    if (!s.startsWith("http://") && !s.startsWith("https://")) {
      throw new InvalidValueException("url", "an http:// or https:// URL required but was " + s);
    }
    String base;
    String runId;
    Matcher m = RUN_PATH.matcher(url.getRawPath() == null ? "" : url.getRawPath());
    String origin = url.getScheme() + "://" + url.getRawAuthority();
    if (m.matches()) {
      base = origin + m.group(1);
      runId = m.group(2);
    } else {
      base = origin + (url.getRawPath() == null ? "" : url.getRawPath().replaceAll("/+$", ""));
      runId = newestRun(base);
    }
    String query =
        types == null ? "" : "?types=" + URLEncoder.encode(types, StandardCharsets.UTF_8);
    return URI.create(base + "/api/runs/" + runId + "/events" + query);
  }

  private String newestRun(String base) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/api/runs")).GET();
    if (token != null && !token.isBlank()) request.header("Authorization", "Bearer " + token);
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new Refused(
          base + "/api/runs answered " + response.statusCode() + " " + response.body());
    }
    JsonNode runs = codec.mapper().readTree(response.body());
    if (!runs.isArray() || runs.isEmpty()) {
      throw new InvalidValueException("url", "a run to follow required but " + base + " has none");
    }
    return runs.get(0).path("id").asText();
  }
}
