package dev.trainscope.server.ui;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Real headless Chromium for the dashboard tests: Debian's {@code chromium} and {@code
 * chromium-driver}, given explicitly so Selenium Manager never downloads anything. In CI ({@code
 * CI=true}) a missing browser fails; elsewhere the tests are skipped with how to install it.
 */
final class Browser {
  static final String INSTALL_HINT = "install with: apt-get install -y chromium chromium-driver";

  private Browser() {}

  static Path chromium() {
    return firstExisting(
        System.getProperty("trainscope.chromium"),
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser");
  }

  static Path chromedriver() {
    return firstExisting(
        System.getProperty("trainscope.chromedriver"),
        "/usr/bin/chromedriver",
        "/usr/lib/chromium/chromedriver");
  }

  private static Path firstExisting(String... candidates) {
    for (String c : candidates) {
      if (c != null && !c.isBlank() && Files.isExecutable(Path.of(c))) return Path.of(c);
    }
    return null;
  }

  /** Skips (developer machine) or fails (CI) when Chromium or its driver is missing. */
  static void requireChromium() {
    boolean present = chromium() != null && chromedriver() != null;
    if (present) return;
    String message =
        "Chromium browser tests need /usr/bin/chromium and /usr/bin/chromedriver; " + INSTALL_HINT;
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError(message);
    }
    System.err.println("SKIPPED: " + message);
    Assumptions.abort(message);
  }

  /** A fresh headless Chromium with its own profile under {@code profileDir}. */
  static ChromeDriver start(Path profileDir, int width, int height) throws IOException {
    Files.createDirectories(profileDir);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium().toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-extensions",
        "--force-device-scale-factor=1",
        "--window-size=" + width + "," + height,
        "--user-data-dir=" + profileDir.toAbsolutePath());
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(chromedriver().toString()))
            .usingAnyFreePort()
            .withTimeout(Duration.ofSeconds(60))
            .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    return driver;
  }

  /** Every console message since the last call. */
  static List<String> console(ChromeDriver driver) {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .map(e -> e.getLevel() + " " + e.getMessage())
        .collect(Collectors.toList());
  }

  /** Console errors (SEVERE) since the last call. */
  static List<String> consoleErrors(ChromeDriver driver) {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .collect(Collectors.toList());
  }
}
