package dev.trainscope.server.http;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.pattern.CompositeConverter;
import java.util.regex.Pattern;

/**
 * Log format {@code %redact(...)}: masks credentials wherever a message or stack trace carries
 * them, since libraries log request URIs and headers in exception messages we do not control: the
 * value of {@code access_token=} and of an {@code Authorization} header or {@code Bearer} token.
 */
public final class RedactingConverter extends CompositeConverter<ILoggingEvent> {
  private static final Pattern SECRET =
      Pattern.compile(
          "(?i)(access_token=|authorization\\s*[:=]\\s*(?:bearer\\s+|basic\\s+)?|bearer\\s+)"
              + "[^\\s&'\",;#\\]]+");

  public static String redact(String text) {
    return text == null ? null : SECRET.matcher(text).replaceAll("$1[redacted]");
  }

  @Override
  protected String transform(ILoggingEvent event, String in) {
    return redact(in);
  }
}
