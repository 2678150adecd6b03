package dev.trainscope.server.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepStoreTest {
  @TempDir Path data;
  private final ObjectMapper mapper = new ObjectMapper();

  private SweepRecord sweep(String id) throws Exception {
    return new SweepRecord(
        id,
        "s",
        1000,
        2,
        List.of("batchSize"),
        mapper.readTree("{\"grid\": {\"batchSize\": [8, 16]}}"),
        List.of());
  }

  @Test
  void aSweepReadsBackAsWrittenWithItsRuns() throws Exception {
    SweepStore store = new SweepStore(data, mapper);
    SweepRecord s = sweep("a1");
    store.create(s);
    store.write(s.withRuns(List.of("r1", "r2")));
    assertThat(new SweepStore(data, mapper).loadAll())
        .containsExactly(s.withRuns(List.of("r1", "r2")));
    assertThatThrownBy(() -> store.create(s)).isInstanceOf(FileAlreadyExistsException.class);
  }

  @Test
  void anUnreadableSweepIsSkippedAndTheOthersLoad() throws Exception {
    SweepStore store = new SweepStore(data, mapper);
    store.create(sweep("a1"));
    store.create(sweep("b2"));
    Files.writeString(data.resolve("sweeps/a1/sweep.json"), "{\"id\": ");
    Files.createDirectories(data.resolve("sweeps/not a sweep id"));
    assertThat(store.loadAll()).extracting(SweepRecord::id).containsExactly("b2");
  }

  @Test
  void noSweepsDirectoryIsNoSweeps() throws Exception {
    assertThat(new SweepStore(data, mapper).loadAll()).isEmpty();
  }
}
