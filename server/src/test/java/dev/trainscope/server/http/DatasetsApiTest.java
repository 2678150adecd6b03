package dev.trainscope.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainscope.server.ServerFixture;
import dev.trainscope.server.ServerFixture.Response;
import dev.trainscope.server.ServerFixture.Sse;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/datasets}: upload with the CLI's CSV rules, list, train on, delete. */
class DatasetsApiTest {
  static final Map<String, String> CSV = Map.of("Content-Type", "text/csv");
  @TempDir Path data;
  ServerFixture fx;

  @BeforeEach
  void start() throws Exception {
    fx = ServerFixture.start(data);
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  static String twoBlobs() {
    StringBuilder csv = new StringBuilder("a,b,side\n");
    for (int i = 0; i < 20; i++) {
      csv.append(-1 - i * 0.05).append(',').append(i * 0.1).append(",left\n");
      csv.append(1 + i * 0.05).append(',').append(i * 0.1).append(",right\n");
    }
    return csv.toString();
  }

  Response upload(String name, String csv) {
    return fx.request(HttpMethod.POST, "/api/datasets?name=" + name, csv, CSV);
  }

  @Test
  void aGoodCsvIsStoredListedTrainedOnAndDeletedWhileItsRunsStayReplayable() throws Exception {
    Response up = upload("sides", twoBlobs());
    assertThat(up.status()).as(up.body()).isEqualTo(201);
    assertThat(up.json().get("rows").asInt()).isEqualTo(40);
    assertThat(up.json().get("features").asInt()).isEqualTo(2);
    assertThat(up.json().get("classes").asInt()).isEqualTo(2);
    assertThat(data.resolve("datasets/sides.csv")).exists();

    JsonNode list = fx.get("/api/datasets").json();
    assertThat(list.findValuesAsText("name")).startsWith("iris").contains("circles", "sides");
    JsonNode sides = list.get(list.size() - 1);
    assertThat(sides.get("name").asText()).isEqualTo("sides");
    assertThat(sides.get("builtin").asBoolean()).isFalse();
    assertThat(list.get(0).get("builtin").asBoolean()).isTrue();

    String id = fx.startRun("{\"dataset\": \"sides\", \"epochs\": 3}");
    List<Sse> events = fx.awaitFinished(id);
    assertThat(events.get(0).data())
        .contains("\"name\":\"sides\"")
        .contains("\"classes\":[\"left\",\"right\"]");
    assertThat(events).anyMatch(e -> e.event().equals("decision-boundary"));
    assertThat(events.get(events.size() - 1).event()).isEqualTo("run-completed");

    Response gone = fx.request(HttpMethod.DELETE, "/api/datasets/sides", null, Map.of());
    assertThat(gone.status()).as(gone.body()).isEqualTo(200);
    assertThat(data.resolve("datasets/sides.csv")).doesNotExist();
    assertThat(fx.get("/api/datasets").json().findValuesAsText("name")).doesNotContain("sides");
    assertThat(fx.request(HttpMethod.DELETE, "/api/datasets/sides", null, Map.of()).status())
        .isEqualTo(404);
    // Its run keeps its events and its detail, and replays as before.
    assertThat(fx.get("/api/runs/" + id).status()).isEqualTo(200);
    assertThat(fx.awaitFinished(id)).hasSize(events.size());
    Response again = fx.post("/api/runs", "{\"dataset\": \"sides\"}");
    assertThat(again.status()).isEqualTo(400);
    assertThat(again.json().get("field").asText()).isEqualTo("dataset");
  }

  @Test
  void aBadCsvIsRefusedNamingLineAndColumn() {
    Response r = upload("bad", "a,b,side\n1,2,left\n3,oops,right\n");
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().get("error").asText())
        .contains("line 3")
        .contains("column b")
        .contains("oops");
    assertThat(r.json().has("field")).isTrue();
    assertThat(data.resolve("datasets/bad.csv")).doesNotExist();

    Response measurements = upload("m", "a,b,y\n1,2,0.5\n3,4,1.5\n");
    assertThat(measurements.status()).isEqualTo(400);
    assertThat(measurements.json().get("field").asText()).isEqualTo("labelColumn");
  }

  @Test
  void namesSizesAndTypesAreChecked() throws Exception {
    Response name = upload("../x", twoBlobs());
    assertThat(name.status()).isEqualTo(400);
    assertThat(name.json().get("field").asText()).isEqualTo("name");
    assertThat(upload("iris", twoBlobs()).json().get("field").asText()).isEqualTo("name");
    assertThat(fx.post("/api/datasets?name=x", twoBlobs()).status()).isEqualTo(415);
    String big = "a,side\n" + "1.0,left\n".repeat((1 << 20) / 9 + 1);
    Response tooBig = upload("big", big);
    assertThat(tooBig.status()).isEqualTo(413);
    assertThat(Files.exists(data.resolve("datasets/big.csv"))).isFalse();
  }
}
