package dev.trainscope.server.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainscope.engine.event.TrainingEvent;
import dev.trainscope.server.json.EventCodec;
import dev.trainscope.server.log.EventLog;
import dev.trainscope.server.log.LogStore;
import dev.trainscope.server.log.MetaFile;
import dev.trainscope.server.log.RunMeta;
import dev.trainscope.server.log.RunStates;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Runs kept in a Kafka cluster that several instances share. Each run's events are the topic {@code
 * <prefix>run.<id>} (one partition, so offsets are seqs); what {@code run.json} holds for a file
 * log is the run's record in the compacted topic {@code <prefix>runs} (key: the run id), with the
 * instance that writes it ({@code owner}). Every instance reads the runs topic, so each lists every
 * run, and reads each run's topic once with its one {@link KafkaTail}.
 */
public final class KafkaStore implements LogStore {
  public static final String DEFAULT_PREFIX = "trainscope.";
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(KafkaStore.class);

  private final String prefix;
  private final EventCodec codec;
  private final MetaFile metaJson;
  private final Path runsDir;
  private final Admin admin;
  private final KafkaProducer<byte[], byte[]> producer;
  private final KafkaTail tail;
  private final RunsTopic runsTopic;
  private final Map<String, KafkaEventLog> logs = new ConcurrentHashMap<>();
  private volatile String owner;
  private final Leases leases;

  /**
   * @param client Kafka client properties ({@code bootstrap.servers} at least)
   * @param localDir this instance's data directory, for what stays local (MLflow's metric values)
   * @param owner how other instances name this one in a 409 (its URL once it listens)
   * @param lease how long an instance may stay silent before it is taken for dead
   */
  public KafkaStore(
      Properties client,
      String prefix,
      EventCodec codec,
      Path localDir,
      String owner,
      Duration lease)
      throws IOException {
    this.prefix = prefix;
    this.codec = codec;
    this.metaJson = new MetaFile(codec);
    this.runsDir = localDir.resolve("runs");
    this.owner = owner;
    this.admin = Admin.create(client);
    Properties p = new Properties();
    p.putAll(client);
    // Idempotence without transactions: retries never duplicate or reorder, and no control
    // records take offsets, so an event's offset is its seq.
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    p.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    createTopic(
        prefix + "runs",
        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT),
        true);
    this.tail = new KafkaTail(client);
    this.leases = new Leases(lease, this::heartbeat, this::interruptRunsOfTheDead);
    this.runsTopic = new RunsTopic(client, prefix + "runs", codec.mapper(), leases::heard);
  }

  public static Properties clientProperties(String bootstrap) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    return p;
  }

  /** Names this instance in the runs it creates from now on (its URL, once it listens). */
  public void advertise(String name) {
    owner = name;
  }

  String topicOf(String runId) {
    return prefix + "run." + runId;
  }

  @Override
  public KafkaEventLog create(RunMeta meta) throws IOException {
    if (runsTopic.knows(meta.id())) throw new FileAlreadyExistsException(meta.id());
    createTopic(
        topicOf(meta.id()),
        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE),
        false);
    putMeta(meta, owner);
    KafkaEventLog runLog = new KafkaEventLog(meta, topicOf(meta.id()), producer, codec, null);
    runLog.onClosed(this::recordEnd);
    logs.put(meta.id(), runLog);
    return runLog;
  }

  /** A closed log's final state goes to the runs topic, as a file log's goes to run.json. */
  private void recordEnd(KafkaEventLog runLog) {
    RunMeta meta = runLog.meta().withState(runLog.finalState(), System.currentTimeMillis());
    runLog.setMeta(meta);
    try {
      putMeta(meta, null);
    } catch (IOException e) {
      LOG.warn("Run {}: cannot record its end in {}runs: {}", meta.id(), prefix, e.toString());
    }
  }

  private void putMeta(RunMeta meta, String writer) throws IOException {
    ObjectNode node = metaJson.toNode(meta);
    if (writer != null) {
      node.put("owner", writer);
      node.put("ownerId", leases.self());
    }
    byte[] value = codec.mapper().writeValueAsBytes(node);
    try {
      producer
          .send(new ProducerRecord<>(prefix + "runs", meta.id().getBytes(), value))
          .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
      throw new IOException("cannot record run " + meta.id() + " in " + prefix + "runs", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted recording run " + meta.id(), e);
    }
    runsTopic.put(meta.id(), node);
  }

  @Override
  public void discard(EventLog log) {
    try {
      log.close();
    } catch (IOException e) {
      // as for a file: it goes anyway
    }
    logs.remove(log.runId());
  }

  @Override
  public List<String> runIds() throws IOException {
    runsTopic.catchUp(endOffset(prefix + "runs"));
    return new ArrayList<>(runsTopic.ids());
  }

  /**
   * A run written elsewhere (or earlier): read from its topic up to its current end before this
   * returns, then followed live until its terminal event.
   */
  @Override
  public EventLog load(String runId, Consumer<TrainingEvent> onEvent) throws IOException {
    JsonNode node = runsTopic.node(runId);
    if (node == null) throw new IOException("run " + runId + " is not in " + prefix + "runs");
    RunMeta meta = metaJson.fromNode(runId, node);
    String writer = node.path("owner").asText(null);
    KafkaEventLog runLog = new KafkaEventLog(meta, topicOf(runId), null, codec, writer);
    runLog.writtenBy(node.path("ownerId").asText(null));
    runLog.onEvent(onEvent);
    long end = endOffset(topicOf(runId));
    tail.follow(runLog);
    if (end > 0) {
      runLog.sizes().filter(n -> n >= end).next().block(WAIT);
      if (runLog.size() < end)
        throw new IOException("run " + runId + ": topic not read in " + WAIT);
    }
    logs.put(runId, runLog);
    return runLog;
  }

  @Override
  public void onRunsCreatedElsewhere(Function<EventLog, Consumer<TrainingEvent>> onRun) {
    runsTopic.follow(
        (id, node) -> {
          KafkaEventLog known = logs.get(id);
          if (known != null) {
            known.setMeta(metaJson.fromNode(id, node));
            return;
          }
          RunMeta meta = metaJson.fromNode(id, node);
          KafkaEventLog runLog =
              new KafkaEventLog(meta, topicOf(id), null, codec, node.path("owner").asText(null));
          runLog.writtenBy(node.path("ownerId").asText(null));
          logs.put(id, runLog);
          runLog.onEvent(onRun.apply(runLog));
          tail.follow(runLog);
        });
  }

  private void heartbeat(String self) {
    byte[] key = (Leases.KEY_PREFIX + self).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] value =
        ("{\"owner\":"
                + codec.mapper().valueToTree(owner)
                + ",\"time\":"
                + System.currentTimeMillis()
                + "}")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try {
      producer.send(new ProducerRecord<>(prefix + "runs", key, value));
    } catch (RuntimeException e) {
      // closing: the lease ends with the process
    }
  }

  /**
   * The runs whose writer stopped heartbeating for a whole lease end as a restarted file server
   * ends the runs it finds unfinished: a {@code status interrupted} after every event the writer
   * stored. One live instance does it ({@link Leases#isReaper}), after reading the topic to its
   * end, so the status takes the next seq.
   */
  private void interruptRunsOfTheDead() {
    if (!leases.isReaper()) return;
    for (KafkaEventLog runLog : logs.values()) {
      String writer = runLog.writerId();
      if (!runLog.isReader() || runLog.isFinished() || writer == null) continue;
      if (leases.isAlive(writer)) continue;
      try {
        interrupt(runLog);
      } catch (IOException | RuntimeException e) {
        LOG.warn("Run {}: cannot mark it interrupted: {}", runLog.runId(), e.toString());
      }
    }
  }

  private void interrupt(KafkaEventLog runLog) throws IOException {
    long end = endOffset(runLog.topic());
    runLog.sizes().filter(n -> n >= end).next().block(WAIT);
    if (runLog.isFinished() || runLog.size() != end) return;
    TrainingEvent.Status status =
        new TrainingEvent.Status(
            runLog.runId(),
            end,
            System.currentTimeMillis(),
            TrainingEvent.Status.INTERRUPTED,
            runLog.lastEpoch());
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(runLog.topic(), 0, null, codec.encodeBytes(status));
    record.headers().add(KafkaEventLog.TYPE_HEADER, status.type().getBytes());
    long offset;
    try {
      offset = producer.send(record).get(WAIT.toMillis(), TimeUnit.MILLISECONDS).offset();
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IOException("cannot write to " + runLog.topic(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (offset != end) {
      LOG.warn("Run {}: its interrupted status landed at {} not {}", runLog.runId(), offset, end);
    }
    LOG.warn(
        "Run {}: its writer ({}) stopped for a lease; marked interrupted after {} events",
        runLog.runId(),
        runLog.writtenElsewhere(),
        end);
    putMeta(runLog.meta().withState(RunStates.INTERRUPTED, status.time()), null);
  }

  /** As a killed process: heartbeats and writes stop at once, nothing is closed cleanly. */
  void halt() {
    leases.halt();
    producer.close(Duration.ZERO);
  }

  private long endOffset(String topic) throws IOException {
    TopicPartition tp = new TopicPartition(topic, 0);
    try {
      return admin
          .listOffsets(Map.of(tp, OffsetSpec.latest()))
          .partitionResult(tp)
          .get(WAIT.toMillis(), TimeUnit.MILLISECONDS)
          .offset();
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IOException("cannot read the end of " + topic + ": " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted reading the end of " + topic, e);
    }
  }

  private void createTopic(String topic, Map<String, String> configs, boolean mayExist)
      throws IOException {
    NewTopic t = new NewTopic(topic, 1, (short) -1).configs(configs);
    try {
      admin.createTopics(List.of(t)).all().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (mayExist && e.getCause() instanceof TopicExistsException) return;
      if (e.getCause() instanceof TopicExistsException) throw new FileAlreadyExistsException(topic);
      throw new IOException("cannot create topic " + topic + ": " + e.getCause(), e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IOException("cannot create topic " + topic + " in " + WAIT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted creating topic " + topic, e);
    }
  }

  @Override
  public Path runsDirectory() {
    return runsDir;
  }

  /** The events of the runs this instance writes (what the file store counts as written). */
  @Override
  public long eventsWritten() {
    return logs.values().stream()
        .filter(l -> l.writtenElsewhere() == null && !l.isReader())
        .mapToLong(KafkaEventLog::size)
        .sum();
  }

  @Override
  public String location() {
    return "Kafka (topics " + prefix + "*)";
  }

  @Override
  public void close() {
    leases.close();
    runsTopic.close();
    tail.close();
    producer.close(Duration.ofSeconds(5));
    admin.close(Duration.ofSeconds(5));
  }
}
