package dev.trainscope.server.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainscope.server.sse.SharedFrame;
import dev.trainscope.server.sse.SseEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogLineTest {
  private static LogLine line(long seq, String type) {
    LogLine l =
        new LogLine(
            "r", seq, type, ("{\"seq\":" + seq + ",\"x\":\"é\"}").getBytes(StandardCharsets.UTF_8));
    l.share();
    return l;
  }

  private static byte[] bytes(ByteBuf buf) {
    return ByteBufUtil.getBytes(buf);
  }

  @Test
  void aBatchOfLiveLinesIsEncodedOnceForEverySubscriberThatSendsIt() {
    List<LogLine> lines = List.of(line(4, "epoch"), line(5, "activations"), line(6, "layer-stats"));
    LogLine last = lines.get(2);
    // Two subscribers that keep up wake for the same new lines: each gets its own list.
    SharedFrame first = last.batchFrame(List.copyOf(lines));
    SharedFrame second = last.batchFrame(List.copyOf(lines));
    assertThat(second).isSameAs(first);

    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    for (LogLine l : lines) {
      expected.writeBytes(SseEncoder.event(Long.toString(l.seq()), l.type(), l.json()));
    }
    ByteBuf a = first.buffer();
    ByteBuf b = second.buffer();
    assertThat(bytes(a)).isEqualTo(expected.toByteArray());
    // Each write takes its own indices and a release frees nothing under another stream.
    a.skipBytes(a.readableBytes());
    a.release();
    assertThat(bytes(b)).isEqualTo(expected.toByteArray());
    assertThat(bytes(first.buffer())).isEqualTo(expected.toByteArray());
  }

  @Test
  void aBatchThatATypeFilterThinnedOrThatStartsElsewhereIsNotMistakenForAnother() {
    LogLine a = line(1, "epoch");
    LogLine b = line(2, "activations");
    LogLine c = line(3, "epoch");
    assertThat(c.batchFrame(List.of(a, c))).as("not consecutive: filtered").isNull();
    SharedFrame fromB = c.batchFrame(List.of(b, c));
    SharedFrame fromA = c.batchFrame(List.of(a, b, c));
    assertThat(fromA).isNotSameAs(fromB);
    assertThat(fromA.size()).isGreaterThan(fromB.size());
    assertThat(new String(bytes(fromA.buffer()), StandardCharsets.UTF_8)).startsWith("id: 1\n");
  }

  @Test
  void aSingleLinesFrameIsItsSseEvent() {
    LogLine l = line(9, "insight");
    assertThat(l.sharedFrame()).isSameAs(l.sharedFrame());
    assertThat(bytes(l.sharedFrame().buffer()))
        .isEqualTo(SseEncoder.event("9", "insight", l.json()))
        .isEqualTo(l.sseFrame());
  }

  @Test
  void aLinesFrameOnTheStreamOfAllRunsIsEncodedOnceWithTheRunInItsId() {
    LogLine l = line(3, "epoch");
    assertThat(l.allRunsFrame()).isSameAs(l.allRunsFrame());
    assertThat(bytes(l.allRunsFrame().buffer()))
        .isEqualTo(SseEncoder.event("r:3", "epoch", l.json()));
  }
}
