package dev.trainscope.server.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one consumer of an instance: it reads each followed run's topic once, on its own thread (a
 * {@code KafkaConsumer} is single-threaded and its poll blocks, so never on an event loop), and
 * hands each record to that run's {@link KafkaEventLog}, from whose memory every local subscriber
 * reads. It assigns partitions itself (no consumer group: each instance reads everything it
 * follows) and never resets an offset silently ({@code auto.offset.reset=none}).
 */
final class KafkaTail implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KafkaTail.class);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Map<TopicPartition, KafkaEventLog> followed = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<KafkaEventLog> added = new ConcurrentLinkedQueue<>();
  private final Thread thread;
  private volatile boolean closed;

  KafkaTail(Properties client) {
    Properties p = new Properties();
    p.putAll(client);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    this.consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.thread = new Thread(this::loop, "trainscope-kafka-tail");
    thread.setDaemon(true);
    thread.start();
  }

  /** Reads the run's topic from the first event this instance does not hold yet. */
  void follow(KafkaEventLog runLog) {
    added.add(runLog);
    consumer.wakeup();
    synchronized (this) {
      notifyAll();
    }
  }

  private void loop() {
    try {
      while (!closed) {
        assignAdded();
        if (followed.isEmpty()) {
          synchronized (this) {
            if (added.isEmpty() && !closed) wait(100);
          }
          continue;
        }
        try {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
            KafkaEventLog runLog = followed.get(new TopicPartition(r.topic(), r.partition()));
            if (runLog != null) runLog.received(r.offset(), type(r), r.value());
          }
        } catch (WakeupException e) {
          // follow() or close(): go round
        } catch (OffsetOutOfRangeException e) {
          // History deleted under a run (retention): say so and end those logs, never skip ahead.
          for (TopicPartition tp : e.partitions()) {
            KafkaEventLog gone = followed.remove(tp);
            if (gone != null) gone.lost(e.offsetOutOfRangePartitions().get(tp));
          }
          consumer.assign(followed.keySet());
        }
        dropFinished();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("Kafka tail stopped: {}", e.toString(), e);
    } finally {
      consumer.close(Duration.ofSeconds(1));
    }
  }

  private void assignAdded() {
    List<KafkaEventLog> now = new ArrayList<>();
    for (KafkaEventLog l = added.poll(); l != null; l = added.poll()) now.add(l);
    if (now.isEmpty()) return;
    for (KafkaEventLog l : now) followed.put(new TopicPartition(l.topic(), 0), l);
    consumer.assign(followed.keySet());
    for (KafkaEventLog l : now) consumer.seek(new TopicPartition(l.topic(), 0), l.size());
  }

  /** A finished run's topic holds nothing more: stop fetching it. */
  private void dropFinished() {
    if (followed.values().removeIf(KafkaEventLog::isFinished)) {
      consumer.assign(followed.keySet());
    }
  }

  private static String type(ConsumerRecord<byte[], byte[]> r) {
    Header h = r.headers().lastHeader(KafkaEventLog.TYPE_HEADER);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    closed = true;
    consumer.wakeup();
    synchronized (this) {
      notifyAll();
    }
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
