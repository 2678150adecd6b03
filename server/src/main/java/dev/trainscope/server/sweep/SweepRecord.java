package dev.trainscope.server.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A sweep as {@code sweep.json} stores it: the request as given ({@code spec}), the field paths
 * that vary between its runs, and its runs' ids in expansion order.
 */
public record SweepRecord(
    String id,
    String name,
    long createdAt,
    int size,
    List<String> varied,
    JsonNode spec,
    List<String> runs) {
  public SweepRecord {
    varied = varied == null ? List.of() : List.copyOf(varied);
    runs = runs == null ? List.of() : List.copyOf(runs);
  }

  public SweepRecord withRuns(List<String> runIds) {
    return new SweepRecord(id, name, createdAt, size, varied, spec, runIds);
  }
}
