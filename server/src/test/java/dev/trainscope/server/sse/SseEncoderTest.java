package dev.trainscope.server.sse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SseEncoderTest {

  private static String encode(SseFrame frame) {
    return new String(SseEncoder.encode(frame), StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void eventHasIdTypeDataAndABlankLine() {
    assertThat(
            new String(SseEncoder.event("7", "epoch", utf8("{\"a\":1}")), StandardCharsets.UTF_8))
        .isEqualTo("id: 7\nevent: epoch\ndata: {\"a\":1}\n\n");
  }

  @Test
  void multiLineDataBecomesOneDataLinePerLine() {
    assertThat(encode(SseFrame.event(null, null, utf8("a\nb\r\nc\rd"))))
        .isEqualTo("data: a\ndata: b\ndata: c\ndata: d\n\n");
    assertThat(encode(SseFrame.event(null, null, utf8("trailing\n"))))
        .isEqualTo("data: trailing\ndata: \n\n");
    assertThat(encode(SseFrame.event(null, null, new byte[0]))).isEqualTo("data: \n\n");
  }

  @Test
  void lineBreaksInIdEventAndCommentCannotInjectFields() {
    assertThat(encode(SseFrame.event("1\ndata: x", "epoch\r\nid: 9", utf8("{}"))))
        .isEqualTo("id: 1 data: x\nevent: epoch id: 9\ndata: {}\n\n");
    assertThat(encode(SseFrame.comment("one\ntwo"))).isEqualTo(": one\n: two\n");
  }

  @Test
  void idDropsNul() {
    assertThat(encode(SseFrame.event("a\0b", null, utf8("x")))).startsWith("id: ab\n");
  }

  @Test
  void commentIsAKeepAliveThatDispatchesNothing() {
    assertThat(new String(SseEncoder.comment("keep-alive"), StandardCharsets.UTF_8))
        .isEqualTo(": keep-alive\n");
  }

  @Test
  void retryIsItsOwnFrame() {
    assertThat(encode(SseFrame.retry(3000))).isEqualTo("retry: 3000\n\n");
  }

  @Test
  void eventFastPathWritesTheSameBytesAsTheGeneralEncoder() {
    String[][] cases = {
      {"7", "epoch", "{\"a\":1}"},
      {"1\ndata: x", "epoch", "{}"},
      {"a\0b", "batch", "x"},
      {"3", "epoch\r\nid: 9", "line\none"},
      {"12", "insight", "caf\u00e9 \u2713"},
      {"0", "r\u00e9sum\u00e9", ""}
    };
    for (String[] c : cases) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      out.writeBytes(utf8(": before\n"));
      SseEncoder.writeEvent(out, c[0], c[1], utf8(c[2]));
      byte[] general = SseEncoder.encode(SseFrame.event(c[0], c[1], utf8(c[2])));
      assertThat(new String(out.toByteArray(), StandardCharsets.UTF_8))
          .as("frame of %s", String.join(" | ", c))
          .isEqualTo(": before\n" + new String(general, StandardCharsets.UTF_8));
      assertThat(SseEncoder.event(c[0], c[1], utf8(c[2]))).isEqualTo(general);
    }
  }
}
