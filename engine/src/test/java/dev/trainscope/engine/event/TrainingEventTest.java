package dev.trainscope.engine.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TrainingEventTest {

  @Test
  void everyPermittedTypeIsARecordWithADistinctNonBlankTypeAndTypesListsThemAll() throws Exception {
    List<String> declared = new ArrayList<>();
    Set<String> distinct = new HashSet<>();
    for (Class<?> c : TrainingEvent.class.getPermittedSubclasses()) {
      assertThat(c.isRecord()).as(c.getName() + " is a record").isTrue();
      String type = (String) c.getField("TYPE").get(null);
      assertThat(type).as(c.getName() + ".TYPE").isNotBlank();
      assertThat(distinct.add(type)).as(c.getName() + ".TYPE distinct").isTrue();
      assertThat(TrainingEvent.recordsByType())
          .containsEntry(type, c.asSubclass(TrainingEvent.class));
      declared.add(type);
    }

    assertThat(TrainingEvent.TYPES).isEqualTo(declared).hasSize(12);
    assertThat(List.copyOf(TrainingEvent.recordsByType().keySet())).isEqualTo(TrainingEvent.TYPES);
  }

  /** The order shows in error messages ("one of [...]"); the protocol lists the types in it. */
  @Test
  void typesAreInTheOrderOfTheProtocolDocs() throws Exception {
    String doc = String.join(" ", Files.readAllLines(Path.of("..", "docs", "protocol.md")));
    int from = doc.indexOf("Types: ");
    String sentence = doc.substring(from, doc.indexOf(". ", from)).replaceAll("\\([^)]*\\)", "");
    List<String> documented = new ArrayList<>();
    Matcher m = Pattern.compile("`([a-z-]+)`").matcher(sentence);
    while (m.find()) documented.add(m.group(1));

    assertThat(TrainingEvent.TYPES).isEqualTo(documented);
  }

  @Test
  void typesReadsLikeAList() {
    assertThat(TrainingEvent.TYPES.indexOf(TrainingEvent.Epoch.TYPE)).isEqualTo(1);
    assertThat(TrainingEvent.TYPES.contains("nonsense")).isFalse();
    assertThat(TrainingEvent.TYPES.toString()).startsWith("[run-started, epoch, ");
  }

  record NoType(int x) {}

  record PrivateType(int x) {
    private static final String TYPE = "private";
  }

  @Test
  void aRecordWithoutAPublicTypeConstantIsRefusedSayingWhatItNeeds() {
    assertThatThrownBy(() -> EventTypes.typeField(NoType.class))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            NoType.class.getName()
                + " declares no TYPE: every event record needs a public static final String TYPE,"
                + " its wire name");
    assertThatThrownBy(() -> EventTypes.typeField(PrivateType.class))
        .hasMessageStartingWith(PrivateType.class.getName() + ".TYPE is not as required");
    assertThatThrownBy(() -> EventTypes.typeField(String.class))
        .hasMessageStartingWith("java.lang.String is no record");
  }
}
