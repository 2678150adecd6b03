package dev.trainscope.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainscope.server.runs.DatasetStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * Your own data from the run form, in real headless Chromium: a CSV chosen in the file input is
 * uploaded under a name made from the file's, listed and selected in the data set menu, and a run
 * started from the form trains on it; a bad CSV shows the server's error naming its line; a file
 * over 1 MiB is never sent; an uploaded set is deleted after a confirmation.
 */
class DatasetUploadBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension final DashboardPage page = new DashboardPage(WAIT);

  /** Two classes of points, left and right of x = 0: 40 rows. */
  private static String sidesCsv() {
    StringBuilder b = new StringBuilder("x,y,side\n");
    for (int i = 0; i < 40; i++) {
      double x = (i % 2 == 0 ? -1 : 1) * (0.5 + (i % 7) / 10.0);
      double y = (i % 5) / 5.0 - 0.4;
      b.append(String.format(Locale.ROOT, "%.2f,%.2f,%s%n", x, y, x < 0 ? "left" : "right"));
    }
    return b.toString();
  }

  private Path file(String name, String content) throws IOException {
    Path f = page.dir().resolve(name);
    Files.writeString(f, content);
    return f;
  }

  private void choose(Path file) {
    page.byId("dataset-file").sendKeys(file.toAbsolutePath().toString());
  }

  private List<String> serverDatasets() {
    List<String> names = new ArrayList<>();
    for (JsonNode d : page.get("/api/datasets")) names.add(d.path("name").asText());
    return names;
  }

  private List<String> uploadedInMenu() {
    List<String> names = new ArrayList<>();
    for (WebElement o :
        page.driver().findElements(By.cssSelector("[data-testid='uploaded-datasets'] option"))) {
      names.add(o.getAttribute("value"));
    }
    return names;
  }

  private String selectedDataset() {
    return new Select(page.byId("field-dataset")).getFirstSelectedOption().getAttribute("value");
  }

  private HttpResponse<String> postCsv(String name, String csv)
      throws IOException, InterruptedException {
    return page.http()
        .send(
            HttpRequest.newBuilder(URI.create(page.base() + "/api/datasets?name=" + name))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString(csv))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aCsvUploadedFromTheFormIsSelectedAndARunTrainsOnIt() throws Exception {
    Path csv = file("my sides.csv", sidesCsv());
    page.open();
    page.waitForDatasetMenu();
    // The menu lists what the server lists, built-in sets first; nothing uploaded yet.
    List<String> menu = new ArrayList<>();
    for (WebElement o : new Select(page.byId("field-dataset")).getOptions()) {
      menu.add(o.getAttribute("value"));
    }
    assertThat(menu).isEqualTo(serverDatasets());
    assertThat(uploadedInMenu()).isEmpty();

    choose(csv);
    page.waitFor(
        "the name made from the file's",
        d -> "my-sides".equals(page.byId("dataset-name").getDomProperty("value")));
    page.byId("dataset-upload").click();
    page.waitFor(
        "the upload confirmed",
        d -> page.byId("dataset-status").getText().startsWith("Uploaded my-sides: 40 rows"));
    assertThat(page.byId("dataset-error").getText()).isEmpty();
    assertThat(uploadedInMenu()).containsExactly("my-sides");
    assertThat(selectedDataset()).isEqualTo("my-sides");
    assertThat(serverDatasets()).contains("my-sides");
    page.screenshot("dataset-upload.png");
    // Two classes: the output layer is sized to them, as for a built-in 2-class set.
    List<WebElement> units = page.all("layer-units");
    assertThat(units.get(units.size() - 1).getDomProperty("value")).isEqualTo("2");

    page.setField("field-epochs", "3");
    page.setField("field-epochDelayMs", "0");
    page.byId("start-run").click();
    page.waitFor("the new run selected", d -> page.runId() != null);
    String id = page.runId();
    page.waitFor("three epoch rows", d -> page.all("epoch-row").size() == 3);
    JsonNode started = page.events(id).get(0);
    assertThat(started.path("type").asText()).isEqualTo("run-started");
    assertThat(started.path("config").path("dataset").asText()).isEqualTo("my-sides");
    assertThat(started.path("dataset").path("name").asText()).isEqualTo("my-sides");
    assertThat(started.path("dataset").path("classes").toString())
        .isEqualTo("[\"left\",\"right\"]");
    page.waitFor(
        "the summary naming the data set",
        d -> page.byId("run-summary").getText().startsWith("my-sides: "));
    assertThat(page.consoleErrors()).isEmpty();
  }

  @Test
  void aBadCsvShowsTheServersErrorNamingTheLine() throws Exception {
    String bad = "x,y,label\n1,2,a\n3,oops,b\n4,5,a\n";
    HttpResponse<String> direct = postCsv("bad", bad);
    assertThat(direct.statusCode()).isEqualTo(400);
    String expected = DashboardPage.JSON.readTree(direct.body()).path("error").asText();
    assertThat(expected).contains("line 3");

    page.open();
    page.waitForDatasetMenu();
    choose(file("bad.csv", bad));
    page.byId("dataset-upload").click();
    page.waitFor("the server's error", d -> !page.byId("dataset-error").getText().isEmpty());
    assertThat(page.byId("dataset-error").getText()).isEqualTo(expected);
    assertThat(page.byId("dataset-status").getText()).isEmpty();
    assertThat(uploadedInMenu()).isEmpty();
    assertThat(serverDatasets()).doesNotContain("bad");
    assertThat(selectedDataset()).isEqualTo("iris");
  }

  @Test
  void aNameTheServerRefusesShowsItsReason() throws Exception {
    page.open();
    page.waitForDatasetMenu();
    choose(file("sides.csv", sidesCsv()));
    page.waitFor(
        "the default name", d -> "sides".equals(page.byId("dataset-name").getDomProperty("value")));
    page.setField("dataset-name", "no spaces");
    page.byId("dataset-upload").click();
    page.waitFor(
        "the name's problem",
        d -> page.byId("dataset-error").getText().contains("letters, digits"));
    assertThat(serverDatasets()).doesNotContain("no spaces", "sides");
  }

  @Test
  void aFileOverOneMebibyteIsRefusedBeforeItIsSent() throws Exception {
    StringBuilder b = new StringBuilder("x,y,label\n");
    while (b.length() <= DatasetStore.MAX_BYTES) b.append("0.123456,0.654321,a\n");
    page.open();
    page.waitForDatasetMenu();
    choose(file("big.csv", b.toString()));
    page.waitFor(
        "the size refused at once",
        d -> page.byId("dataset-error").getText().startsWith("big.csv is 1.00 MiB: at most 1 MiB"));
    page.byId("dataset-upload").click();
    assertThat(page.byId("dataset-error").getText()).contains("at most 1 MiB (1,048,576 bytes)");
    assertThat(page.byId("dataset-status").getText()).isEmpty();
    assertThat(serverDatasets()).doesNotContain("big");
  }

  @Test
  void anUploadedSetIsDeletedFromTheFormAfterAConfirmation() throws Exception {
    assertThat(postCsv("gone", sidesCsv()).statusCode()).isEqualTo(201);
    page.open();
    page.waitForDatasetMenu();
    assertThat(page.byId("dataset-delete").isEnabled())
        .as("delete with a built-in selected")
        .isFalse();
    new Select(page.byId("field-dataset")).selectByValue("gone");
    page.waitFor("delete enabled", d -> page.byId("dataset-delete").isEnabled());

    // Dismissed: nothing happens.
    page.byId("dataset-delete").click();
    page.waitFor("the confirmation", ExpectedConditions.alertIsPresent()).dismiss();
    assertThat(serverDatasets()).contains("gone");
    assertThat(uploadedInMenu()).containsExactly("gone");

    page.byId("dataset-delete").click();
    page.waitFor("the confirmation", ExpectedConditions.alertIsPresent()).accept();
    page.waitFor("the set gone from the menu", d -> uploadedInMenu().isEmpty());
    assertThat(page.byId("dataset-status").getText()).isEqualTo("Deleted gone.");
    assertThat(serverDatasets()).doesNotContain("gone");
    assertThat(selectedDataset()).isEqualTo("iris");
    assertThat(page.byId("dataset-delete").isEnabled()).isFalse();
  }
}
