package dev.trainscope.server.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fact the Kafka log stands on: an idempotent producer's offsets are 0..N-1, gapless. */
class KafkaBrokerTest {
  @TempDir Path dir;

  @Test
  void anIdempotentProducersOffsetsAreTheSequenceNumbers() throws Exception {
    try (KafkaBroker broker = KafkaBroker.start(dir)) {
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrap()))) {
        admin.createTopics(List.of(new NewTopic("t", 1, (short) 1))).all().get();
      }
      Properties pp = new Properties();
      pp.put("bootstrap.servers", broker.bootstrap());
      pp.put("acks", "all");
      pp.put("enable.idempotence", "true");
      List<Long> offsets = new ArrayList<>();
      try (KafkaProducer<byte[], byte[]> p =
          new KafkaProducer<>(pp, new ByteArraySerializer(), new ByteArraySerializer())) {
        List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
        for (int i = 0; i < 1000; i++) sent.add(p.send(new ProducerRecord<>("t", bytes(i))));
        for (var f : sent) offsets.add(f.get().offset());
      }
      assertThat(offsets).isEqualTo(range(1000));
      Properties cp = new Properties();
      cp.put("bootstrap.servers", broker.bootstrap());
      cp.put("auto.offset.reset", "none");
      try (KafkaConsumer<byte[], byte[]> c =
          new KafkaConsumer<>(cp, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        TopicPartition tp = new TopicPartition("t", 0);
        c.assign(List.of(tp));
        c.seek(tp, 990);
        List<Long> read = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (read.size() < 10 && System.nanoTime() < deadline) {
          for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
            assertThat(new String(r.value())).isEqualTo("event " + r.offset());
            read.add(r.offset());
          }
        }
        assertThat(read).isEqualTo(range(1000).subList(990, 1000));
      }
    }
  }

  private static byte[] bytes(int i) {
    return ("event " + i).getBytes();
  }

  private static List<Long> range(int n) {
    List<Long> out = new ArrayList<>();
    for (long i = 0; i < n; i++) out.add(i);
    return out;
  }
}
