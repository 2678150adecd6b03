package dev.trainscope.server.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainscope.server.json.EventCodec;
import dev.trainscope.server.log.RunStore;
import dev.trainscope.server.runs.Run;
import dev.trainscope.server.runs.RunManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.test.scheduler.VirtualTimeScheduler;

class KerasSessionsTest {
  static final String UA = "python-requests/2.31.0";

  @TempDir Path data;
  final AtomicLong now = new AtomicLong(1_700_000_000_000L);
  RunManager runs;
  KerasSessions sessions;

  @BeforeEach
  void start() {
    runs = new RunManager(new RunStore(data, new EventCodec(), now::get), 1, now::get);
    sessions = new KerasSessions(runs, Duration.ofMinutes(30), now::get);
  }

  @AfterEach
  void stop() {
    runs.close();
  }

  static KerasEpoch epoch(int n) {
    return KerasEpoch.parse(
        ("{\"epoch\": " + n + ", \"loss\": 0.5}").getBytes(StandardCharsets.UTF_8),
        "application/json",
        "data");
  }

  private Run run(String id) {
    return runs.find(id).orElseThrow();
  }

  @Test
  void consecutiveEpochsOfOneClientGoToOneRunNamedAfterKeras() throws Exception {
    var a = sessions.accept("127.0.0.1", UA, epoch(0));
    now.addAndGet(60_000);
    var b = sessions.accept("127.0.0.1", UA, epoch(1));

    assertThat(b.run()).isEqualTo(a.run());
    assertThat(b.seq()).isEqualTo(a.seq() + 1);
    assertThat(run(a.run()).summary().name())
        .isEqualTo("Keras run from 127.0.0.1 (python-requests/2.31.0)");
    assertThat(run(a.run()).summary().lastEpoch()).isEqualTo(2);
  }

  @Test
  void otherHostOrUserAgentIsAnotherRun() throws Exception {
    var a = sessions.accept("127.0.0.1", UA, epoch(0));
    var b = sessions.accept("10.0.0.2", UA, epoch(0));
    var c = sessions.accept("127.0.0.1", "python-requests/2.32.3", epoch(3));

    assertThat(a.run()).isNotEqualTo(b.run()).isNotEqualTo(c.run());
    assertThat(run(a.run()).state()).isEqualTo("running");
    assertThat(run(c.run()).summary().lastEpoch()).isEqualTo(4);
  }

  @Test
  void gapLongerThanConfiguredStartsANewRunAndCompletesTheOldOne() throws Exception {
    var a = sessions.accept("127.0.0.1", UA, epoch(4));
    now.addAndGet(Duration.ofMinutes(30).toMillis());
    var same = sessions.accept("127.0.0.1", UA, epoch(5));
    now.addAndGet(Duration.ofMinutes(30).toMillis() + 1);
    var next = sessions.accept("127.0.0.1", UA, epoch(6));

    assertThat(same.run()).isEqualTo(a.run());
    assertThat(next.run()).isNotEqualTo(a.run());
    assertThat(run(a.run()).state()).isEqualTo("completed");
    assertThat(run(next.run()).state()).isEqualTo("running");
  }

  @Test
  void epochZeroStartsANewRunEvenRightAfterTheLast() throws Exception {
    var a = sessions.accept("127.0.0.1", UA, epoch(0));
    sessions.accept("127.0.0.1", UA, epoch(1));
    var b = sessions.accept("127.0.0.1", UA, epoch(0));

    assertThat(b.run()).isNotEqualTo(a.run());
    assertThat(run(a.run()).state()).isEqualTo("completed");
    assertThat(run(a.run()).summary().epochs()).isEqualTo(2);
  }

  @Test
  void finishIdleCompletesOnlyClientsSilentLongerThanTheGap() throws Exception {
    var old = sessions.accept("127.0.0.1", UA, epoch(0));
    now.addAndGet(Duration.ofMinutes(20).toMillis());
    var recent = sessions.accept("10.0.0.2", UA, epoch(0));
    now.addAndGet(Duration.ofMinutes(11).toMillis());

    assertThat(sessions.finishIdle()).isEqualTo(1);

    assertThat(run(old.run()).state()).isEqualTo("completed");
    assertThat(run(recent.run()).state()).isEqualTo("running");
    var again = sessions.accept("127.0.0.1", UA, epoch(1));
    assertThat(again.run()).isNotEqualTo(old.run());
  }

  @Test
  void theSweepFinishesIdleClientsEveryMinuteUntilDisposed() throws Exception {
    VirtualTimeScheduler sweeps = VirtualTimeScheduler.create();
    Disposable sweep = sessions.sweepOn(sweeps);
    var first = sessions.accept("127.0.0.1", UA, epoch(0));
    now.addAndGet(Duration.ofMinutes(31).toMillis());

    sweeps.advanceTimeBy(Duration.ofSeconds(59));
    assertThat(run(first.run()).state()).isEqualTo("running");
    sweeps.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(run(first.run()).state()).isEqualTo("completed");

    var second = sessions.accept("127.0.0.1", UA, epoch(0));
    now.addAndGet(Duration.ofMinutes(31).toMillis());
    sweep.dispose();
    sweeps.advanceTimeBy(Duration.ofHours(1));
    assertThat(run(second.run()).state()).isEqualTo("running");
  }

  @Test
  void theSweepIntervalIsTheGapBetweenASecondAndAMinute() {
    assertThat(new KerasSessions(runs, Duration.ZERO, now::get).sweepInterval())
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(new KerasSessions(runs, Duration.ofSeconds(20), now::get).sweepInterval())
        .isEqualTo(Duration.ofSeconds(20));
    assertThat(sessions.sweepInterval()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void aClientBeyondTheSessionCapCompletesTheRunOfTheClientSilentTheLongest() throws Exception {
    sessions = new KerasSessions(runs, Duration.ofMinutes(30), now::get, 3);
    var quietest = sessions.accept("127.0.0.1", "agent-0", epoch(0));
    now.addAndGet(1000);
    var second = sessions.accept("127.0.0.1", "agent-1", epoch(0));
    now.addAndGet(1000);
    var third = sessions.accept("127.0.0.1", "agent-2", epoch(0));
    now.addAndGet(1000);
    sessions.accept("127.0.0.1", "agent-0", epoch(1)); // agent-1 is now the one silent longest
    now.addAndGet(1000);

    var fourth = sessions.accept("127.0.0.1", "agent-3", epoch(0));

    assertThat(run(second.run()).state()).isEqualTo("completed");
    assertThat(run(quietest.run()).state()).isEqualTo("running");
    assertThat(run(third.run()).state()).isEqualTo("running");
    assertThat(run(fourth.run()).state()).isEqualTo("running");
    assertThat(sessions.size()).isEqualTo(3);
  }

  @Test
  void nonFiniteMetricsAddAWarningInsightAfterTheEpoch() throws Exception {
    KerasEpoch bad =
        KerasEpoch.parse(
            "{\"epoch\": 2, \"loss\": NaN, \"val_loss\": Infinity}"
                .getBytes(StandardCharsets.UTF_8),
            "application/json",
            "data");
    var a = sessions.accept("127.0.0.1", UA, bad);

    assertThat(run(a.run()).log().size()).isEqualTo(a.seq() + 2);
    assertThat(KerasSessions.nonFiniteMessage(bad))
        .isEqualTo(
            "Epoch 3 reported non-finite metrics: loss = nan, val_loss = inf. Training has probably"
                + " diverged; try a lower learning rate.");
  }
}
