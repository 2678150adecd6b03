package dev.trainscope.server.client;

import java.util.Optional;

/**
 * Turns the lines of a {@code text/event-stream} into messages, as the WHATWG "Server-sent events"
 * parsing rules say: {@code data} lines join with '\n', a blank line dispatches, comments (lines
 * starting with ':') are ignored, a single space after the colon is dropped, {@code id} persists as
 * the last event id. One parser per connection; not thread-safe.
 */
public final class SseParser {
  /** One dispatched message. {@code id} is the last event id at dispatch (may be null). */
  public record Message(String id, String event, String data) {}

  private final StringBuilder data = new StringBuilder();
  private boolean hasData;
  private String event;
  private String lastId;
  private Long retry;

  /** Feeds one line (without its line terminator); returns a message when the line ends one. */
  public Optional<Message> accept(String line) {
    if (line.isEmpty()) {
      if (!hasData) {
        event = null;
        return Optional.empty();
      }
      Message m = new Message(lastId, event == null ? "message" : event, data.toString());
      data.setLength(0);
      hasData = false;
      event = null;
      return Optional.of(m);
    }
    if (line.startsWith(":")) return Optional.empty();
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) value = value.substring(1);
    switch (field) {
      case "data" -> {
        if (hasData) data.append('\n');
        data.append(value);
        hasData = true;
      }
      case "event" -> event = value;
      case "id" -> {
        if (value.indexOf('\0') < 0) lastId = value;
      }
      case "retry" -> {
        if (value.matches("\\d+")) retry = Long.parseLong(value);
      }
      default -> {}
    }
    return Optional.empty();
  }

  public String lastEventId() {
    return lastId;
  }

  /** The last {@code retry:} value in ms, if the server sent one. */
  public Optional<Long> retry() {
    return Optional.ofNullable(retry);
  }
}
