package dev.trainscope.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServerConfigTest {

  @Test
  void theDefaultsAreWhereTheBuilderStarts() {
    ServerConfig d = ServerConfig.defaults();

    assertThat(d).isEqualTo(ServerConfig.builder().build());
    assertThat(d.host()).isEqualTo("127.0.0.1");
    assertThat(d.port()).isEqualTo(8080);
    assertThat(d.dataDir()).isEqualTo(Path.of("trainscope-data"));
    assertThat(d.token()).isNull();
    assertThat(d.corsOrigin()).isNull();
    assertThat(d.trainingPoolSize())
        .isEqualTo(Math.max(2, Runtime.getRuntime().availableProcessors()));
    assertThat(d.maxBodyBytes()).isEqualTo(1024 * 1024);
    assertThat(d.keepAlive()).isEqualTo(Duration.ofSeconds(15));
    assertThat(d.retry()).isEqualTo(Duration.ofSeconds(3));
    assertThat(d.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(d.kerasGapMinutes()).isEqualTo(30);
    assertThat(d.mlflowStepWait()).isEqualTo(Duration.ofSeconds(1));
    assertThat(d.limits()).isEqualTo(ServerConfig.Limits.defaults());
  }

  @Test
  void toBuilderCarriesEveryField() throws Exception {
    ServerConfig changed =
        ServerConfig.builder()
            .host("0.0.0.0")
            .port(0)
            .dataDir(Path.of("elsewhere"))
            .token("t")
            .corsOrigin("https://ok.example")
            .trainingPoolSize(99)
            .maxBodyBytes(7)
            .keepAlive(Duration.ofSeconds(1))
            .retry(Duration.ofSeconds(2))
            .idleTimeout(Duration.ofSeconds(4))
            .kerasGapMinutes(5)
            .mlflowStepWait(Duration.ofMillis(3))
            .limits(ServerConfig.Limits.defaults().withMaxStreams(6))
            .kafka(
                new ServerConfig.Kafka(
                    dev.trainscope.server.kafka.KafkaStore.clientProperties("127.0.0.1:9"), "p."))
            .build();

    ServerConfig d = ServerConfig.defaults();
    for (RecordComponent c : ServerConfig.class.getRecordComponents()) {
      Object value = c.getAccessor().invoke(changed);
      assertThat(value)
          .as(c.getName() + " set by the builder")
          .isNotEqualTo(c.getAccessor().invoke(d));
    }
    assertThat(changed.toBuilder().build()).isEqualTo(changed);
    assertThat(changed.toBuilder().port(1).build().token()).isEqualTo("t");
  }

  @Test
  void buildingValidatesWithTheRecordsMessages() {
    assertThatThrownBy(() -> ServerConfig.builder().port(65536).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port in [0, 65535] required");
    assertThatThrownBy(() -> ServerConfig.builder().host("0.0.0.0").build())
        .hasMessage(
            "binding 0.0.0.0 exposes the server beyond this machine: set --token (or"
                + " TRAINSCOPE_TOKEN)");
    assertThat(ServerConfig.builder().token(" ").corsOrigin("").build())
        .extracting(ServerConfig::token, ServerConfig::corsOrigin)
        .containsExactly(null, null);
    assertThat(ServerConfig.builder().limits(null).build().limits())
        .isEqualTo(ServerConfig.Limits.defaults());
  }
}
