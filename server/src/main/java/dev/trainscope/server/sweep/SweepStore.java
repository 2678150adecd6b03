package dev.trainscope.server.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainscope.engine.Trainer;
import dev.trainscope.server.log.AtomicFile;
import dev.trainscope.server.log.StorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sweeps on disk: {@code DATA/sweeps/<id>/sweep.json}, written atomically and fsynced. */
public final class SweepStore {
  public static final String SWEEPS_DIR = "sweeps";
  public static final String SWEEP_FILE = "sweep.json";
  private static final Logger log = LoggerFactory.getLogger(SweepStore.class);

  private final Path dir;
  private final ObjectMapper mapper;

  public SweepStore(Path dataDir, ObjectMapper mapper) {
    this.dir = dataDir.resolve(SWEEPS_DIR);
    this.mapper = mapper;
  }

  /**
   * Creates the sweep's directory and writes its file, fsynced with its directory entry.
   *
   * @throws FileAlreadyExistsException when a sweep of that id exists (pick another id)
   */
  public void create(SweepRecord sweep) throws IOException {
    Path own = dir.resolve(sweep.id());
    try {
      Files.createDirectories(dir);
      Files.createDirectory(own);
    } catch (FileAlreadyExistsException e) {
      throw e;
    } catch (IOException e) {
      throw new StorageException(sweep.id(), "directory", e);
    }
    write(sweep);
    forceDirectory(dir);
  }

  /** Replaces the sweep's file (e.g. once its runs exist). */
  public void write(SweepRecord sweep) throws IOException {
    try {
      AtomicFile.write(
          dir.resolve(sweep.id()),
          SWEEP_FILE,
          mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(sweep));
      forceDirectory(dir.resolve(sweep.id()));
    } catch (IOException e) {
      throw new StorageException(sweep.id(), SWEEP_FILE, e);
    }
  }

  /** Every readable sweep; one that cannot be read is logged (WARN) and skipped. */
  public List<SweepRecord> loadAll() throws IOException {
    if (!Files.isDirectory(dir)) return List.of();
    List<SweepRecord> out = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(dir)) {
      for (Path p : dirs.sorted().toList()) {
        String id = p.getFileName().toString();
        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
            || !Trainer.RUN_ID.matcher(id).matches()) {
          continue;
        }
        Path file = p.resolve(SWEEP_FILE);
        try {
          if (Files.isSymbolicLink(file)) throw new IOException(SWEEP_FILE + " is a symbolic link");
          SweepRecord r = mapper.readValue(file.toFile(), SweepRecord.class);
          out.add(
              new SweepRecord(
                  id, r.name(), r.createdAt(), r.size(), r.varied(), r.spec(), r.runs()));
        } catch (IOException | RuntimeException e) {
          log.warn("Sweep {} not loaded: {}", id, e.toString());
        }
      }
    }
    return out;
  }

  private static void forceDirectory(Path d) {
    try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Not every file system can fsync a directory.
    }
  }
}
