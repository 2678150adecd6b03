package dev.trainscope.server.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainscope.engine.event.TrainingEvent.Epoch;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsCsvTest {

  private static Epoch epoch(int n, Double loss, Double acc, Double valLoss, Double valAcc) {
    return new Epoch("r", n, 0, n, 3, loss, acc, valLoss, valAcc, 0.1, 1, null);
  }

  @Test
  void engineRunUsesCsvLoggerHeaderSortedMetricsAndZeroBasedEpochs() {
    String csv =
        MetricsCsv.render(
            List.of(epoch(1, 1.1, 0.3333333333333333, 1.2, 0.25), epoch(2, 0.5, 0.75, 0.6, 0.5)));

    assertThat(csv)
        .isEqualTo(
            "epoch,accuracy,loss,val_accuracy,val_loss\r\n"
                + "0,0.3333333333333333,1.1,0.25,1.2\r\n"
                + "1,0.75,0.5,0.5,0.6\r\n");
  }

  @Test
  void kerasMetricsKeepTheirNamesAndNonFiniteValuesAsPythonWritesThem() {
    Epoch keras =
        new Epoch(
            "r",
            0,
            0,
            1,
            0,
            null,
            0.5,
            null,
            null,
            null,
            0,
            Map.of("loss", Double.NaN, "accuracy", 0.5, "my_metric", 1e-05));
    Epoch missing = new Epoch("r", 1, 0, 2, 0, 0.4, null, null, null, null, 0, Map.of("loss", 0.4));

    assertThat(MetricsCsv.render(List.of(keras, missing)))
        .isEqualTo("epoch,accuracy,loss,my_metric\r\n0,0.5,nan,1e-05\r\n1,NA,0.4,NA\r\n");
  }

  @Test
  void noEpochsGiveJustTheHeader() {
    assertThat(MetricsCsv.render(List.of())).isEqualTo("epoch\r\n");
  }

  @Test
  void metricNamesASpreadsheetWouldRunAsFormulasArePrefixedWithAQuoteAndNumbersStayNumbers() {
    Map<String, Double> metrics = new java.util.LinkedHashMap<>();
    metrics.put("=HYPERLINK(\"http://x\")", -0.5);
    metrics.put("+1", 1.0);
    metrics.put("-2", -2.0);
    metrics.put("@SUM(A1)", -1e-05);
    metrics.put("\tx", 3.0);
    metrics.put("=a,b", 4.0);
    metrics.put("loss", -0.25);
    Epoch e = new Epoch("r", 0, 0, 1, 0, null, null, null, null, null, 0, metrics);

    String[] lines = MetricsCsv.render(List.of(e)).split("\r\n");

    assertThat(lines[0])
        .isEqualTo("epoch,'\tx,'+1,'-2,\"'=HYPERLINK(\"\"http://x\"\")\",\"'=a,b\",'@SUM(A1),loss");
    assertThat(lines[1]).isEqualTo("0,3.0,1.0,-2.0,-0.5,4.0,-1e-05,-0.25");
  }
}
