package dev.trainscope.server.mlflow;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainscope.server.log.AtomicFile;
import dev.trainscope.server.log.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * MLflow experiments: names that group runs. {@code "0"} is the {@code Default} experiment, as in
 * MLflow; the others are numbered from 1 in creation order. Kept in {@code
 * DATA/mlflow/experiments.json}, replaced whole (fsynced) before a create is answered.
 */
public final class Experiments {
  public static final String DEFAULT_ID = "0";
  public static final String DEFAULT_NAME = "Default";
  static final String DIR = "mlflow";
  static final String FILE = "experiments.json";

  /** One experiment, with its tags in the order they were set. */
  public record Experiment(
      String id, String name, long creationTime, long lastUpdateTime, Map<String, String> tags) {
    public Experiment {
      tags =
          tags == null
              ? Map.of()
              : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }

    public String artifactLocation() {
      return "trainscope:/experiments/" + id; // artifacts are not stored: a client fails clearly
    }
  }

  private final Path dir;
  private final ObjectMapper mapper;
  private final LongSupplier clock;
  private final Map<String, Experiment> byId = new LinkedHashMap<>();

  public Experiments(Path dataDir, ObjectMapper mapper, LongSupplier clock) {
    this.dir = dataDir.resolve(DIR);
    this.mapper = mapper;
    this.clock = clock;
  }

  /** Reads the file when there is one; the Default experiment always exists. */
  public synchronized void load() throws IOException {
    byId.clear();
    Path file = dir.resolve(FILE);
    if (Files.exists(file)) {
      for (Experiment e :
          mapper.readValue(file.toFile(), new TypeReference<List<Experiment>>() {})) {
        byId.put(e.id(), e);
      }
    }
    if (!byId.containsKey(DEFAULT_ID)) {
      Map<String, Experiment> withDefault = new LinkedHashMap<>();
      withDefault.put(DEFAULT_ID, new Experiment(DEFAULT_ID, DEFAULT_NAME, 0, 0, Map.of()));
      withDefault.putAll(byId);
      byId.clear();
      byId.putAll(withDefault);
    }
  }

  public synchronized Optional<Experiment> get(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  public synchronized Optional<Experiment> byName(String name) {
    return byId.values().stream().filter(e -> e.name().equals(name)).findFirst();
  }

  /** Every experiment, in creation order. */
  public synchronized List<Experiment> all() {
    return List.copyOf(byId.values());
  }

  /**
   * Creates and stores an experiment. Blocking: call it on the disk scheduler.
   *
   * @throws MlflowException RESOURCE_ALREADY_EXISTS when the name is taken
   */
  public synchronized Experiment create(String name, Map<String, String> tags) throws IOException {
    if (name == null || name.isBlank()) {
      throw MlflowException.invalid("Missing value for required parameter 'name'.");
    }
    if (byName(name).isPresent()) {
      throw MlflowException.exists("Experiment(name=" + name + ") already exists.");
    }
    long max = byId.keySet().stream().mapToLong(Long::parseLong).max().orElse(0);
    long now = clock.getAsLong();
    Experiment e = new Experiment(Long.toString(max + 1), name, now, now, tags);
    byId.put(e.id(), e);
    try {
      save();
    } catch (IOException | RuntimeException failed) {
      byId.remove(e.id()); // not stored, not answered
      throw failed;
    }
    return e;
  }

  private void save() throws IOException {
    try {
      Files.createDirectories(dir);
      List<Experiment> list = new ArrayList<>(byId.values());
      AtomicFile.write(dir, FILE, mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(list));
    } catch (IOException e) {
      throw new StorageException("mlflow", FILE, e);
    }
  }
}
