package dev.trainscope.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainscope.engine.Trainer;
import dev.trainscope.engine.data.Datasets;
import dev.trainscope.server.runs.DatasetStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The two facts the dashboard's upload copies from the server ({@code datasets.js}) against the
 * server's own: the size limit it checks before sending and the name rule it sanitises file names
 * to. The list of data sets itself is not copied: the menu reads {@code GET /api/datasets}.
 */
class DashboardDatasetsTest {
  static final String DATASETS_JS = "trainscope/web/js/datasets.js";
  static String js;

  @BeforeAll
  static void readDatasetsJs() throws IOException {
    js = resource(DATASETS_JS);
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = DashboardDatasetsTest.class.getClassLoader().getResourceAsStream(name)) {
      assertThat(in).as(name + " on the classpath (from trainscope-web-ui)").isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String constant(String name) {
    Matcher m =
        Pattern.compile("export const " + Pattern.quote(name) + "\\s*=\\s*([^;\\n]+);").matcher(js);
    assertThat(m.find()).as("export const " + name + " = ...; in " + DATASETS_JS).isTrue();
    return m.group(1).trim();
  }

  @Test
  void theUploadLimitIsTheServers() {
    assertThat(Integer.parseInt(constant("MAX_UPLOAD_BYTES"))).isEqualTo(DatasetStore.MAX_BYTES);
  }

  @Test
  void theNameRuleIsTheServers() {
    assertThat(constant("DATASET_NAME")).isEqualTo("/^" + Trainer.RUN_ID.pattern() + "$/");
  }

  @Test
  void thePageListsNoBuiltInDataSetOfItsOwn() throws IOException {
    // The menu is filled from GET /api/datasets; a hard-coded option would go stale.
    String html = resource("trainscope/web/index.html");
    String form = resource("trainscope/web/js/form.js");
    for (String name : Datasets.BUILT_IN) {
      assertThat(html).as("index.html").doesNotContain("value=\"" + name + "\"");
      assertThat(form).as("form.js").doesNotContainPattern("\\b" + name + "\\s*:");
    }
  }
}
