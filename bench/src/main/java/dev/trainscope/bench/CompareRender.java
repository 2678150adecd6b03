package dev.trainscope.bench;

import dev.trainscope.server.ServerConfig;
import dev.trainscope.server.TrainscopeServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Compare view in a real browser: {@code runs} pushed runs of {@code epochs} epochs each (loss,
 * accuracy and their validation figures), opened from a link ({@code ?view=compare&runs=...}) in
 * headless Chromium. Reads the page's own performance measures: {@code trainscope:compare-draw}
 * (the first draw once every run's epochs are loaded) and {@code trainscope:smooth} (one smoothing
 * change, EMA and redraw). The floor, measured in the same browser in the same run: uPlot alone
 * drawing the same number of series and points ({@code floor:draw}) and recomputing a plain EMA of
 * them and redrawing ({@code floor:smooth}); the ratios are Trainscope / floor.
 *
 * <p>{@code CompareRender [runs=50] [epochs=1000] [rounds=5]}
 */
public final class CompareRender {
  private CompareRender() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    Path data = Files.createTempDirectory("trainscope-compare-bench");
    ServerConfig config = ServerConfig.builder().port(0).dataDir(data).build();
    try (TrainscopeServer server = TrainscopeServer.start(config)) {
      measure(server, data, runs, epochs, rounds);
    } finally {
      Workloads.deleteTree(data);
    }
  }

  private static void measure(TrainscopeServer server, Path data, int runs, int epochs, int rounds)
      throws Exception {
    String base = "http://127.0.0.1:" + server.port();
    List<String> ids = push(base, runs, epochs);
    Path floor = data.resolve("floor.html");
    Files.writeString(floor, floorPage(base, runs, epochs));
    ChromeDriver browser = browser(data.resolve("profile"));
    try {
      List<Double> draw = new ArrayList<>();
      List<Double> ready = new ArrayList<>();
      List<Double> smooth = new ArrayList<>();
      List<Double> floorDraw = new ArrayList<>();
      List<Double> floorSmooth = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        browser.get(base + "/?view=compare&smooth=0.6&runs=" + String.join(",", ids));
        draw.add(awaitMeasure(browser, "trainscope:compare-draw", 1));
        ready.add(
            ((Number)
                    ((JavascriptExecutor) browser)
                        .executeScript(
                            "const m = performance.getEntriesByName('trainscope:compare-draw',"
                                + " 'measure')[0]; return m.startTime + m.duration;"))
                .doubleValue());
        for (int i = 1; i <= 5; i++) {
          ((JavascriptExecutor) browser)
              .executeScript(
                  "const s = document.querySelector('[data-testid=smoothing]');"
                      + "s.value = String(arguments[0]);"
                      + "s.dispatchEvent(new Event('input', {bubbles: true}));",
                  0.5 + 0.08 * i);
          smooth.add(awaitMeasure(browser, "trainscope:smooth", i));
        }
        browser.get(floor.toUri().toString());
        floorDraw.add(awaitMeasure(browser, "floor:draw", 1));
        for (int i = 1; i <= 5; i++) {
          ((JavascriptExecutor) browser)
              .executeScript("window.smoothTo(arguments[0])", 0.5 + 0.08 * i);
          floorSmooth.add(awaitMeasure(browser, "floor:smooth", i));
        }
      }
      System.out.printf(
          Locale.ROOT, "%d runs x %d epochs, %d rounds (median ms):%n", runs, epochs, rounds);
      System.out.printf(
          Locale.ROOT,
          "  %-30s %8.1f ms from navigation (reading %d runs' epochs included)%n",
          "comparison drawn",
          median(ready),
          runs);
      report("first full draw", draw, floorDraw);
      report("one smoothing change", smooth, floorSmooth);
    } finally {
      browser.quit();
    }
  }

  private static void report(String what, List<Double> ours, List<Double> floor) {
    double a = median(ours);
    double b = median(floor);
    System.out.printf(
        Locale.ROOT,
        "  %-30s Trainscope %8.1f   uPlot alone %8.1f   ratio %.2f   (Trainscope min %.1f max %.1f)%n",
        what,
        a,
        b,
        a / b,
        Collections.min(ours),
        Collections.max(ours));
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  /** The duration of the {@code n}-th measure of that name, once the page has made it. */
  private static double awaitMeasure(ChromeDriver browser, String name, int n) {
    Object v =
        new WebDriverWait(browser, Duration.ofSeconds(120))
            .until(
                d ->
                    ((JavascriptExecutor) d)
                        .executeScript(
                            "const m = performance.getEntriesByName(arguments[0], 'measure');"
                                + "return m.length >= arguments[1] ? m[arguments[1] - 1].duration : null;",
                            name,
                            n));
    return ((Number) v).doubleValue();
  }

  /** Creates {@code runs} external runs and pushes {@code epochs} epochs to each; their ids. */
  private static List<String> push(String base, int runs, int epochs) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    Pattern id = Pattern.compile("\"id\":\"([^\"]+)\"");
    List<String> ids = new ArrayList<>();
    for (int r = 0; r < runs; r++) {
      String body =
          "{\"external\": true, \"name\": \"run "
              + r
              + "\", \"params\": {\"lr\": "
              + (0.01 * (r + 1))
              + "}}";
      HttpResponse<String> created =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/api/runs"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      Matcher m = id.matcher(created.body());
      if (created.statusCode() != 201 || !m.find()) throw new IllegalStateException(created.body());
      String run = m.group(1);
      ids.add(run);
      StringBuilder ndjson = new StringBuilder();
      double rate = 0.002 + 0.0002 * r;
      for (int e = 1; e <= epochs; e++) {
        double loss = 1.1 * Math.exp(-rate * e) + 0.05 + 0.02 * Math.sin(e * 0.7 + r);
        ndjson.append(
            String.format(
                Locale.ROOT,
                "{\"type\":\"epoch\",\"epoch\":%d,\"epochs\":%d,\"loss\":%.5f,\"accuracy\":%.5f,"
                    + "\"valLoss\":%.5f,\"valAccuracy\":%.5f}%n",
                e,
                epochs,
                loss,
                1 - loss / 1.2,
                loss * 1.1,
                1 - loss * 1.1 / 1.2));
        if (e % 500 == 0 || e == epochs) {
          HttpResponse<String> pushed =
              http.send(
                  HttpRequest.newBuilder(URI.create(base + "/api/runs/" + run + "/events"))
                      .header("Content-Type", "application/x-ndjson")
                      .POST(HttpRequest.BodyPublishers.ofString(ndjson.toString()))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          if (pushed.statusCode() != 200) throw new IllegalStateException(pushed.body());
          ndjson.setLength(0);
        }
      }
      http.send(
          HttpRequest.newBuilder(URI.create(base + "/api/runs/" + run + "/finish"))
              .POST(HttpRequest.BodyPublishers.noBody())
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }
    return ids;
  }

  /**
   * uPlot alone, same size: two charts (loss, accuracy), each a series per run and figure
   * (training, validation), raw beneath smoothed as the Compare view draws them.
   */
  static String floorPage(String base, int runs, int epochs) {
    return """
        <!doctype html><html><head><meta charset="utf-8">
        <link rel="stylesheet" href="BASE/webjars/uplot/1.6.30/dist/uPlot.min.css">
        <script src="BASE/webjars/uplot/1.6.30/dist/uPlot.iife.min.js"></script></head>
        <body><div id="a"></div><div id="b"></div><script>
        const RUNS = NRUNS, EPOCHS = NEPOCHS;
        const x = Array.from({length: EPOCHS}, (_, i) => i + 1);
        const raw = [];
        for (let r = 0; r < RUNS; r++) for (let k = 0; k < 2; k++)
          raw.push(x.map((e) => 1.1 * Math.exp(-(0.002 + 0.0002 * r) * e) + 0.05 + 0.02 * Math.sin(e * 0.7 + r) * (1 + k * 0.1)));
        function ema(ys, beta) { let m = 0; return ys.map((y, i) => (m = beta * m + (1 - beta) * y) / (1 - Math.pow(beta, i + 1))); }
        function chart(el) {
          const series = [{}];
          // As the Compare view styles them: faint solid raw lines, then smoothed ones (validation dashed).
          for (let i = 0; i < 2 * raw.length; i++) {
            const smoothed = i >= raw.length;
            series.push({ stroke: smoothed ? 'hsl(' + (i * 37 % 360) + ',60%,45%)' : 'rgba(100,100,100,0.22)', width: smoothed ? 1.75 : 1,
              dash: smoothed && i % 2 === 1 ? [6, 4] : undefined, spanGaps: true, points: { show: false } });
          }
          return new uPlot({ width: 560, height: 260, series, legend: { show: false }, scales: { x: { time: false } } }, series.map(() => []), el);
        }
        // Built empty first, as the Compare view builds its charts while the runs are being read.
        const charts = [chart(document.getElementById('a')), chart(document.getElementById('b'))];
        setTimeout(() => { // after the empty charts' own first layout, which is not the draw
          performance.mark('floor:draw:start');
          for (const c of charts) c.setData([x, ...raw, ...raw.map((ys) => ema(ys, 0.6))]);
          queueMicrotask(() => { performance.mark('floor:draw:end'); performance.measure('floor:draw', 'floor:draw:start', 'floor:draw:end'); });
        }, 100);
        window.smoothTo = (beta) => {
          performance.mark('floor:smooth:start');
          for (const c of charts) c.setData([x, ...raw, ...raw.map((ys) => ema(ys, beta))]);
          queueMicrotask(() => { performance.mark('floor:smooth:end'); performance.measure('floor:smooth', 'floor:smooth:start', 'floor:smooth:end'); });
        };
        </script></body></html>
        """
        .replace("BASE", base)
        .replace("NRUNS", Integer.toString(runs))
        .replace("NEPOCHS", Integer.toString(epochs));
  }

  private static ChromeDriver browser(Path profile) throws Exception {
    Files.createDirectories(profile);
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--allow-file-access-from-files",
        "--window-size=1400,1000",
        "--user-data-dir=" + profile.toAbsolutePath());
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new java.io.File("/usr/bin/chromedriver"))
            .build();
    return new ChromeDriver(service, options);
  }
}
