package dev.trainscope.server.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compacted topic of every run's record (its {@code run.json}), read from the start on a thread
 * of its own for as long as the instance runs: the instance's list of runs, live.
 */
final class RunsTopic implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RunsTopic.class);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final TopicPartition partition;
  private final ObjectMapper mapper;
  private final Map<String, JsonNode> nodes = new LinkedHashMap<>(); // guarded by this
  private final List<BiConsumer<String, JsonNode>> listeners = new CopyOnWriteArrayList<>();
  private long position; // guarded by this
  private final Thread thread;
  private volatile boolean closed;

  private final java.util.function.Consumer<String> heartbeats;

  /** {@code heartbeats}: told the id of each instance heard from. */
  RunsTopic(
      Properties client,
      String topic,
      ObjectMapper mapper,
      java.util.function.Consumer<String> heartbeats) {
    this.heartbeats = heartbeats;
    Properties p = new Properties();
    p.putAll(client);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    this.consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.partition = new TopicPartition(topic, 0);
    this.mapper = mapper;
    consumer.assign(List.of(partition));
    consumer.seekToBeginning(List.of(partition));
    this.thread = new Thread(this::loop, "trainscope-kafka-runs");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    try {
      while (!closed) {
        try {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
            received(r);
          }
          long at = consumer.position(partition);
          synchronized (this) {
            position = Math.max(position, at);
            notifyAll();
          }
        } catch (WakeupException e) {
          // close()
        }
      }
    } catch (RuntimeException e) {
      log.error("Reading the runs topic stopped: {}", e.toString(), e);
    } finally {
      consumer.close(Duration.ofSeconds(1));
    }
  }

  private void received(ConsumerRecord<byte[], byte[]> r) {
    if (r.key() == null || r.value() == null) return; // a tombstone: nothing is deleted yet
    String id = new String(r.key(), StandardCharsets.UTF_8);
    if (id.startsWith(Leases.KEY_PREFIX)) {
      heartbeats.accept(id.substring(Leases.KEY_PREFIX.length()));
      synchronized (this) {
        position = Math.max(position, r.offset() + 1);
      }
      return;
    }
    JsonNode node;
    try {
      node = mapper.readTree(r.value());
    } catch (IOException e) {
      log.warn("Run {}: unreadable record in the runs topic: {}", id, e.toString());
      return;
    }
    synchronized (this) {
      nodes.put(id, node);
      position = Math.max(position, r.offset() + 1);
    }
    for (BiConsumer<String, JsonNode> l : listeners) l.accept(id, node);
  }

  /** Waits until the records before offset {@code end} (the topic's end, just read) are read. */
  void catchUp(long end) throws IOException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    synchronized (this) {
      while (position < end) {
        long left = deadline - System.nanoTime();
        if (left <= 0) throw new IOException(partition.topic() + " not read to its end in 30 s");
        try {
          wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted reading " + partition.topic(), e);
        }
      }
    }
  }

  synchronized boolean knows(String id) {
    return nodes.containsKey(id);
  }

  synchronized Set<String> ids() {
    return Set.copyOf(nodes.keySet());
  }

  synchronized JsonNode node(String id) {
    return nodes.get(id);
  }

  /** This instance's own write, known before the loop reads it back. */
  synchronized void put(String id, JsonNode node) {
    nodes.put(id, node);
  }

  /** Every run known now, then every record as it arrives. */
  void follow(BiConsumer<String, JsonNode> listener) {
    Map<String, JsonNode> now;
    synchronized (this) {
      listeners.add(listener);
      now = new LinkedHashMap<>(nodes);
    }
    now.forEach(listener);
  }

  @Override
  public void close() {
    closed = true;
    consumer.wakeup();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
