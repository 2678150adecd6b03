package dev.trainscope.server.http;

import dev.trainscope.server.log.RunStates;
import dev.trainscope.server.runs.Run;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Locale;

/**
 * {@code GET /api/runs?sweep=&state=&q=}: each given filter must hold. {@code q} is a
 * case-insensitive substring of the run's id, name, data set or any of its params' values.
 */
record RunFilter(String sweep, String state, String q) {
  static RunFilter of(String sweep, String state, String q) {
    if (state != null && !RunStates.ALL.contains(state)) {
      throw new ApiException(
          HttpResponseStatus.BAD_REQUEST,
          "state one of " + RunStates.ALL + " required but was \"" + state + "\"",
          "state");
    }
    return new RunFilter(
        blank(sweep) ? null : sweep, state, blank(q) ? null : q.toLowerCase(Locale.ROOT));
  }

  private static boolean blank(String s) {
    return s == null || s.isEmpty();
  }

  boolean matches(Run.Summary s) {
    if (sweep != null && !sweep.equals(s.sweep())) return false;
    if (state != null && !state.equals(s.state())) return false;
    if (q == null) return true;
    if (contains(s.id()) || contains(s.name()) || contains(s.dataset())) return true;
    return s.params().values().stream().anyMatch(v -> contains(String.valueOf(v)));
  }

  private boolean contains(String text) {
    return text != null && text.toLowerCase(Locale.ROOT).contains(q);
  }
}
