package dev.trainscope.server.kafka;

import dev.trainscope.server.json.EventCodec;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * An instance's access to runs kept in Kafka: one producer for the runs it writes, one {@link
 * KafkaTail} for those it reads, one admin client to create topics. A run's topic is {@code
 * <prefix>run.<id>}: one partition (so offsets are seqs), {@code cleanup.policy=delete}.
 */
public final class KafkaLogs implements AutoCloseable {
  public static final String DEFAULT_PREFIX = "trainscope.";

  private final Properties client;
  private final String prefix;
  private final EventCodec codec;
  private final Admin admin;
  private final KafkaProducer<byte[], byte[]> producer;
  private final KafkaTail tail;

  public KafkaLogs(Properties client, String prefix, EventCodec codec) {
    this.client = client;
    this.prefix = prefix;
    this.codec = codec;
    this.admin = Admin.create(client);
    Properties p = new Properties();
    p.putAll(client);
    // Idempotence without transactions: retries never duplicate or reorder, and no control
    // records take offsets, so an event's offset is its seq.
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    p.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    this.tail = new KafkaTail(client);
  }

  public static Properties clientProperties(String bootstrap) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    return p;
  }

  String topicOf(String runId) {
    return prefix + "run." + runId;
  }

  /** A new run's log, written by this instance: its topic is created first. */
  public KafkaEventLog create(String runId) throws IOException {
    String topic = topicOf(runId);
    NewTopic t =
        new NewTopic(topic, 1, (short) -1)
            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE));
    try {
      admin.createTopics(List.of(t)).all().get();
    } catch (ExecutionException e) {
      throw new IOException("cannot create topic " + topic + ": " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted creating topic " + topic, e);
    }
    return new KafkaEventLog(runId, topic, producer, codec);
  }

  /** A run another instance writes: read from its first event, then followed live. */
  public KafkaEventLog follow(String runId) {
    KafkaEventLog runLog = new KafkaEventLog(runId, topicOf(runId), null, codec);
    tail.follow(runLog);
    return runLog;
  }

  @Override
  public void close() {
    tail.close();
    producer.close();
    admin.close();
  }
}
