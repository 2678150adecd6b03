package dev.trainscope.server.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainscope.server.client.SseParser.Message;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {

  private static List<Message> parse(SseParser parser, String stream) {
    List<Message> out = new ArrayList<>();
    for (String line : stream.split("\n", -1)) parser.accept(line).ifPresent(out::add);
    return out;
  }

  @Test
  void dispatchesOnBlankLineWithIdAndType() {
    List<Message> m = parse(new SseParser(), "id: 3\nevent: epoch\ndata: {\"a\":1}\n\n");
    assertThat(m).containsExactly(new Message("3", "epoch", "{\"a\":1}"));
  }

  @Test
  void joinsMultipleDataLinesWithNewline() {
    List<Message> m = parse(new SseParser(), "data: one\ndata:two\n\n");
    assertThat(m).containsExactly(new Message(null, "message", "one\ntwo"));
  }

  @Test
  void ignoresCommentsAndRememberesRetryAndLastId() {
    SseParser parser = new SseParser();
    List<Message> m =
        parse(
            parser,
            ": keep-alive\n\nretry: 2000\nid: 7\nevent: status\ndata: x\n\n: keep-alive\n\n");
    assertThat(m).containsExactly(new Message("7", "status", "x"));
    assertThat(parser.retry()).contains(2000L);
    assertThat(parser.lastEventId()).isEqualTo("7");
  }

  @Test
  void eventWithoutDataDispatchesNothingAndDoesNotLeakItsType() {
    List<Message> m = parse(new SseParser(), "event: ignored\n\ndata: y\n\n");
    assertThat(m).containsExactly(new Message(null, "message", "y"));
  }

  @Test
  void idPersistsAcrossMessages() {
    List<Message> m = parse(new SseParser(), "id: 1\ndata: a\n\ndata: b\n\n");
    assertThat(m).extracting(Message::id).containsExactly("1", "1");
  }
}
