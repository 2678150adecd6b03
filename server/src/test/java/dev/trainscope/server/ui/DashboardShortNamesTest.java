package dev.trainscope.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainscope.server.sweep.SweepPlan;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The legend labels of the Compare view ({@code runtable.js} {@code SHORT_NAMES}) against the names
 * the server gives sweep runs ({@link SweepPlan#SHORT}): a run called {@code lr=0.3 batch=16} must
 * be labelled the same way in the legend.
 */
class DashboardShortNamesTest {
  static final String RUNTABLE_JS = "trainscope/web/js/runtable.js";

  @Test
  void theLegendShortensConfigPathsAsTheServerNamesSweepRuns() throws IOException {
    String js;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(RUNTABLE_JS)) {
      assertThat(in).as(RUNTABLE_JS + " on the classpath").isNotNull();
      js = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Matcher object = Pattern.compile("SHORT_NAMES\\s*=\\s*\\{([^}]*)}").matcher(js);
    assertThat(object.find()).as("const SHORT_NAMES = {...} in " + RUNTABLE_JS).isTrue();
    Map<String, String> names = new LinkedHashMap<>();
    Matcher pair =
        Pattern.compile("['\"]?([A-Za-z.]+)['\"]?\\s*:\\s*['\"]([^'\"]+)['\"]")
            .matcher(object.group(1));
    while (pair.find()) names.put(pair.group(1), pair.group(2));
    assertThat(names).as("SHORT_NAMES of " + RUNTABLE_JS).isEqualTo(SweepPlan.SHORT);
  }
}
