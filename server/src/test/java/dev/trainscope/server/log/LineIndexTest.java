package dev.trainscope.server.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainscope.engine.event.TrainingEvent;
import org.junit.jupiter.api.Test;

class LineIndexTest {
  @Test
  void aLineEndsWhereTheNextBeginsAndTheLastAtTheLogsEnd() {
    LineIndex index = new LineIndex();
    index.put(0, 0, TrainingEvent.RunStarted.TYPE);
    index.put(1, 120, TrainingEvent.Epoch.TYPE);

    assertThat(index.start(1)).isEqualTo(120);
    assertThat(index.end(0, 2, 300)).isEqualTo(120);
    assertThat(index.end(1, 2, 300)).isEqualTo(300);
    assertThat(index.type(0)).isEqualTo("run-started");
    assertThat(index.type(1)).isEqualTo("epoch");
  }

  @Test
  void aLineFollowedBySkippedBytesEndsAtItsOwnNewline() {
    LineIndex index = new LineIndex();
    index.put(0, 3, TrainingEvent.RunStarted.TYPE); // after a byte order mark
    index.put(1, 50, TrainingEvent.Epoch.TYPE);
    index.endsAt(1, 80); // a duplicate line follows, which recovery skipped
    index.put(2, 160, TrainingEvent.Epoch.TYPE);

    assertThat(index.end(0, 3, 200)).isEqualTo(50);
    assertThat(index.end(1, 3, 200)).isEqualTo(80);
    assertThat(index.end(2, 3, 200)).isEqualTo(200);
  }

  @Test
  void growsPastItsInitialCapacityKeepingEveryLine() {
    LineIndex index = new LineIndex();
    for (int seq = 0; seq < 1000; seq++) index.put(seq, seq * 10L, TrainingEvent.Batch.TYPE);

    assertThat(index.start(0)).isZero();
    assertThat(index.start(999)).isEqualTo(9990);
    assertThat(index.end(500, 1000, 10_000)).isEqualTo(5010);
    assertThat(index.type(999)).isEqualTo("batch");
  }

  @Test
  void aTypeThisServerDoesNotKnowReadsAsNull() {
    LineIndex index = new LineIndex();
    index.put(0, 0, "from-a-newer-version");

    assertThat(index.type(0)).isNull();
  }
}
