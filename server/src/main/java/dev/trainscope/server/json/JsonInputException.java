package dev.trainscope.server.json;

/** JSON that could not be read as what was expected; {@link #field()} may be null. */
public final class JsonInputException extends IllegalArgumentException {
  private final String field;

  public JsonInputException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
