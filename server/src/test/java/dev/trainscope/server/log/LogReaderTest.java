package dev.trainscope.server.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.server.json.EventCodec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogReaderTest {
  private final EventCodec codec = new EventCodec();
  @TempDir Path data;

  @Test
  void recentLinesComeFromMemoryInOrderAndOfTheAskedTypes() throws Exception {
    RunLog log = new RunStore(data, codec).create("r1", TrainingConfig.defaults());
    List<TrainingEvent> events = LogFixtures.epochs("r1", 3, true);
    for (TrainingEvent e : events) log.append(e);
    try (LogReader reader = log.reader()) {
      List<LogLine> all = reader.recent(0, events.size(), null);
      assertThat(all)
          .extracting(LogLine::seq)
          .containsExactlyElementsOf(events.stream().map(TrainingEvent::seq).toList());
      assertThat(reader.recent(0, events.size(), java.util.Set.of("epoch")))
          .allSatisfy(l -> assertThat(l.type()).isEqualTo("epoch"));
      assertThat(reader.recent(0, events.size() + 1, null)).isNull(); // not written yet
    }
  }

  @Test
  void aSizeFromBeforeTheReadersStartAsksForNothing() throws Exception {
    // A subscriber that starts at the log's current size can be handed an older size by the
    // sizes' replay; that once made an ArrayList of capacity -1 and ended /api/events mid-stream.
    RunLog log = new RunStore(data, codec).create("r2", TrainingConfig.defaults());
    for (TrainingEvent e : LogFixtures.epochs("r2", 2, true)) log.append(e);
    try (LogReader reader = log.reader()) {
      assertThat(reader.recent(4, 3, null)).isEmpty();
      assertThat(reader.recent(3, 3, null)).isEmpty();
    }
  }
}
