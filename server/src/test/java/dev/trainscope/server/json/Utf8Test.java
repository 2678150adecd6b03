package dev.trainscope.server.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Test {
  private static byte[] bytes(int... b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) out[i] = (byte) b[i];
    return out;
  }

  @Test
  void validTextDecodesUnchanged() {
    String text = "{\"name\": \"naïve 日本 🚀\"}";
    assertThat(Utf8.decode(text.getBytes(StandardCharsets.UTF_8), null, "the body"))
        .isEqualTo(text);
  }

  @Test
  void invalidBytesAreRejectedNamingTheirOffsetInsteadOfBecomingReplacementCharacters() {
    assertThatThrownBy(() -> Utf8.decode(bytes('a', 'b', 0xFF, 'c'), null, "the body"))
        .isInstanceOf(JsonInputException.class)
        .hasMessage("the body: valid UTF-8 required but was 0xFF at byte offset 2");
    // An overlong NUL, an encoded surrogate, a sequence cut off by the end of the body.
    assertThatThrownBy(() -> Utf8.check(bytes('x', 0xC0, 0x80), "data", "its value"))
        .hasMessageStartingWith("data: its value: valid UTF-8 required but was 0xC0")
        .hasMessageEndingWith("at byte offset 1");
    assertThatThrownBy(() -> Utf8.check(bytes('x', 'y', 0xED, 0xA0, 0x80), null, "the body"))
        .hasMessageEndingWith("at byte offset 2");
    assertThatThrownBy(() -> Utf8.check(bytes('x', 0xE6, 0x97), null, "the body"))
        .hasMessageEndingWith("at byte offset 1");
  }
}
