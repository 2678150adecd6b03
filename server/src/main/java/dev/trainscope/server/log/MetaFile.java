package dev.trainscope.server.log;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainscope.engine.config.TrainingConfig;
import dev.trainscope.server.json.EventCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A run's {@code run.json}: written atomically, read back leniently (older files lack fields). */
public final class MetaFile {
  private static final TypeReference<LinkedHashMap<String, Object>> PARAMS =
      new TypeReference<>() {};
  private final EventCodec codec;

  public MetaFile(EventCodec codec) {
    this.codec = codec;
  }

  /**
   * Writes {@code run.json} atomically (temp file, fsync, rename). When that fails the old file
   * stays and the temporary one is removed.
   */
  void write(Path dir, RunMeta meta) throws IOException {
    try {
      writeFile(dir, meta);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(dir.resolve(RunStore.META_FILE + ".tmp"));
      } catch (IOException d) {
        e.addSuppressed(d);
      }
      throw new StorageException(meta.id(), RunStore.META_FILE, e);
    }
  }

  private void writeFile(Path dir, RunMeta meta) throws IOException {
    AtomicFile.write(
        dir,
        RunStore.META_FILE,
        codec.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(toNode(meta)));
  }

  /** {@code run.json}'s fields, also what a Kafka cluster's runs topic holds per run. */
  public ObjectNode toNode(RunMeta meta) {
    ObjectNode node = codec.mapper().createObjectNode();
    node.put("id", meta.id());
    node.put("name", meta.name());
    node.put("state", meta.state());
    node.put("createdAt", meta.createdAt());
    if (meta.endedAt() != null) node.put("endedAt", meta.endedAt());
    if (meta.external()) node.put("external", true);
    node.put("kind", meta.kind());
    if (meta.sweep() != null) node.put("sweep", meta.sweep());
    if (!meta.params().isEmpty()) node.set("params", codec.toTree(meta.params()));
    if (meta.config() != null) node.set("config", codec.toTree(meta.config()));
    return node;
  }

  JsonNode readNode(Path dir) throws IOException {
    try (InputStream in =
        Files.newInputStream(dir.resolve(RunStore.META_FILE), LinkOption.NOFOLLOW_LINKS)) {
      return codec.mapper().readTree(in);
    }
  }

  /** The run's id is its directory's name, whatever the file says. */
  RunMeta metaOf(Path dir, JsonNode node) {
    return fromNode(dir.getFileName().toString(), node);
  }

  /** The meta {@link #toNode} wrote, read leniently; {@code id} wins over the node's. */
  public RunMeta fromNode(String id, JsonNode node) {
    boolean external = node.path("external").asBoolean(false);
    TrainingConfig config = external ? null : codec.decodeConfig(node.path("config"));
    String state = node.path("state").asText(RunStates.INTERRUPTED);
    long createdAt = node.path("createdAt").asLong(0);
    Long endedAt = node.hasNonNull("endedAt") ? node.get("endedAt").asLong() : null;
    String name =
        node.hasNonNull("name")
            ? node.get("name").asText()
            : config != null ? config.name() : "external run";
    String kind = node.hasNonNull("kind") ? node.get("kind").asText() : null;
    if (kind != null && !RunMeta.KINDS.contains(kind)) kind = null;
    String sweep = node.hasNonNull("sweep") ? node.get("sweep").asText() : null;
    Map<String, Object> params =
        node.get("params") instanceof ObjectNode p ? codec.mapper().convertValue(p, PARAMS) : null;
    return new RunMeta(id, name, config, state, createdAt, endedAt, external, kind, sweep, params);
  }
}
