package dev.trainscope.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainscope.engine.event.TrainingEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's lists of event types (web-ui's {@code state.js}) against the engine's. The
 * browser's EventSource delivers only the named events it has a listener for, so a type missing
 * from {@code EVENT_TYPES} would vanish without an error. Order does not matter on either side: the
 * dashboard adds one listener per type and sends {@code SUMMARY_TYPES} as a {@code ?types=} filter
 * the server reads as a set, so the lists are compared as sets (with no duplicates).
 */
class DashboardEventTypesTest {
  static final String STATE_JS = "trainscope/web/js/state.js";
  static String stateJs;

  @BeforeAll
  static void readStateJs() throws IOException {
    try (InputStream in =
        DashboardEventTypesTest.class.getClassLoader().getResourceAsStream(STATE_JS)) {
      assertThat(in).as(STATE_JS + " on the classpath (from trainscope-web-ui)").isNotNull();
      stateJs = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void theDashboardListensToEveryEventTypeOfTheEngineAndNoOther() {
    List<String> js = JsStringArray.read(stateJs, "EVENT_TYPES", STATE_JS);
    assertThat(js).as("EVENT_TYPES in " + STATE_JS).doesNotHaveDuplicates();
    assertThat(js)
        .as("EVENT_TYPES in %s against TrainingEvent.TYPES", STATE_JS)
        .containsExactlyInAnyOrderElementsOf(TrainingEvent.TYPES);
  }

  @Test
  void theRunListFollowsOnlyEventTypesThatExist() {
    List<String> summary = JsStringArray.read(stateJs, "SUMMARY_TYPES", STATE_JS);
    assertThat(summary).as("SUMMARY_TYPES in " + STATE_JS).isNotEmpty().doesNotHaveDuplicates();
    assertThat(TrainingEvent.TYPES)
        .as("TrainingEvent.TYPES containing SUMMARY_TYPES of %s", STATE_JS)
        .containsAll(summary);
  }
}
