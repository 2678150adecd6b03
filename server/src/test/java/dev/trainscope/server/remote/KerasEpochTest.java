package dev.trainscope.server.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainscope.engine.check.InvalidValueException;
import dev.trainscope.engine.event.TrainingEvent.Epoch;
import dev.trainscope.server.json.EventCodec;
import dev.trainscope.server.json.JsonInputException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KerasEpochTest {
  /** json.dumps({"epoch": 0, "loss": 0.5, "accuracy": 0.75, "val_loss": float("nan")}). */
  static final String LOGS = "{\"epoch\": 0, \"loss\": 0.5, \"accuracy\": 0.75, \"val_loss\": NaN}";

  /** requests.post(url, {"data": json.dumps(logs)}) encodes the body like this. */
  static final String FORM =
      "data=%7B%22epoch%22%3A+0%2C+%22loss%22%3A+0.5%2C+%22accuracy%22%3A+0.75%2C+%22val_loss%22%3A+NaN%7D";

  @Test
  void formBodyAsRequestsEncodesItIsDecoded() {
    KerasEpoch k =
        KerasEpoch.parse(
            FORM.getBytes(StandardCharsets.US_ASCII), "application/x-www-form-urlencoded", "data");

    assertThat(k.epoch()).isZero();
    assertThat(k.metrics()).containsEntry("loss", 0.5).containsEntry("accuracy", 0.75);
    assertThat(k.metrics().get("val_loss")).isNaN();
    assertThat(k.nonFinite()).containsExactly("val_loss");
  }

  @Test
  void jsonBodyGivesTheSameEpoch() {
    KerasEpoch form =
        KerasEpoch.parse(
            FORM.getBytes(StandardCharsets.US_ASCII), "application/x-www-form-urlencoded", "data");
    KerasEpoch json =
        KerasEpoch.parse(LOGS.getBytes(StandardCharsets.UTF_8), "application/json", "data");

    assertThat(json.epoch()).isEqualTo(form.epoch());
    assertThat(json.metrics().keySet()).containsExactlyElementsOf(form.metrics().keySet());
  }

  @Test
  void eventIsOneBasedWithKerasNamesMappedAndNonFiniteLeftOutOfTheFields() {
    Epoch e =
        KerasEpoch.parse(LOGS.getBytes(StandardCharsets.UTF_8), "application/json", "data")
            .toEvent("k", 0, 1);

    assertThat(e.epoch()).isEqualTo(1);
    assertThat(e.loss()).isEqualTo(0.5);
    assertThat(e.accuracy()).isEqualTo(0.75);
    assertThat(e.valLoss()).isNull();
    assertThat(e.metrics()).containsKeys("loss", "accuracy", "val_loss");
  }

  @Test
  void nonFiniteMetricsSurviveTheWireAsText() {
    Epoch e =
        KerasEpoch.parse(LOGS.getBytes(StandardCharsets.UTF_8), "application/json", "data")
            .toEvent("k", 0, 1);
    EventCodec codec = new EventCodec();

    String json = codec.encode(e);

    assertThat(json).contains("\"val_loss\":\"NaN\"");
    Epoch back = (Epoch) codec.decode(json);
    assertThat(back.metrics().get("val_loss")).isNaN();
  }

  @Test
  void olderKerasNamesAreUnderstood() {
    Epoch e =
        KerasEpoch.parse(
                "{\"epoch\": 4, \"acc\": 0.9, \"val_acc\": 0.8, \"lr\": 0.001}"
                    .getBytes(StandardCharsets.UTF_8),
                "application/json",
                "data")
            .toEvent("k", 0, 1);

    assertThat(e.epoch()).isEqualTo(5);
    assertThat(e.accuracy()).isEqualTo(0.9);
    assertThat(e.valAccuracy()).isEqualTo(0.8);
    assertThat(e.learningRate()).isEqualTo(0.001);
  }

  @Test
  void missingOrNegativeEpochIsRejectedNamingIt() {
    assertThatThrownBy(
            () ->
                KerasEpoch.parse(
                    "{\"loss\": 1}".getBytes(StandardCharsets.UTF_8), "application/json", "data"))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("epoch a non-negative integer required but was missing");
    assertThatThrownBy(
            () ->
                KerasEpoch.parse(
                    "{\"epoch\": -1}".getBytes(StandardCharsets.UTF_8), "application/json", "data"))
        .hasMessageContaining("but was -1");
  }

  @Test
  void formWithoutTheFieldOrWithBrokenJsonSaysSo() {
    assertThatThrownBy(
            () ->
                KerasEpoch.parse(
                    "other=1".getBytes(StandardCharsets.UTF_8),
                    "application/x-www-form-urlencoded",
                    "data"))
        .isInstanceOf(JsonInputException.class)
        .hasMessageContaining("form field \"data\"");
    assertThatThrownBy(
            () ->
                KerasEpoch.parse(
                    "data=%7Bnope".getBytes(StandardCharsets.UTF_8),
                    "application/x-www-form-urlencoded",
                    "data"))
        .hasMessageContaining("malformed JSON");
  }
}
