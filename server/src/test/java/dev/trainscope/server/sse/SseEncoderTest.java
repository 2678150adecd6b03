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
}
