package dev.trainscope.engine.check;

/**
 * A value was rejected. {@link #field()} names the offending field (dotted path such as {@code
 * optimizer.learningRate} or {@code layers[1].units}) so a server can report it without parsing the
 * message.
 */
public final class InvalidValueException extends IllegalArgumentException {
  private final String field;

  public InvalidValueException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
