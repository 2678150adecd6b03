package dev.trainscope.server.log;

/**
 * What recovery found in a run's files when it was loaded, when anything there was not a clean log
 * of this run; shown as {@code recovery} in {@code GET /api/runs/{id}}. No byte is ever deleted:
 * lines between kept events that are not events of this run stay where they are (and are not
 * served), and the tail after the last kept event is copied to {@code tailMovedTo} before the log
 * is cut back to the kept events.
 *
 * @param keptEvents events served from the log as found (seq 0 to keptEvents - 1)
 * @param duplicatesDropped lines repeating a seq already kept, skipped
 * @param unreadableLines lines between kept events that are not events of this run, skipped
 * @param unreadableBytes the bytes of those lines
 * @param tailOffset where in the log the bytes after the last kept event began; null when none
 * @param tailBytes how many bytes that tail had (0 when none)
 * @param tailReason why the kept events ended there (e.g. {@code seq 24 where 23 was next}, a torn
 *     last line)
 * @param tailMovedTo the file in the run's directory holding the tail, or null when it could not be
 *     written (the tail then stays in the log, which is not cut back)
 * @param declaredId the id in {@code run.json} when it differed from the directory name, which is
 *     the run's id; null otherwise
 * @param readOnly true when recovery could not write what it had to (the tail, the {@code
 *     interrupted} event or {@code run.json}, e.g. on a full disk): the run is served as found
 * @param readOnlyReason why, when read-only
 */
public record Recovery(
    long keptEvents,
    int duplicatesDropped,
    int unreadableLines,
    long unreadableBytes,
    Long tailOffset,
    long tailBytes,
    String tailReason,
    String tailMovedTo,
    String declaredId,
    boolean readOnly,
    String readOnlyReason) {

  /** True when there is nothing to report: the log was a clean log of this run. */
  boolean isClean() {
    return duplicatesDropped == 0
        && unreadableLines == 0
        && tailOffset == null
        && declaredId == null
        && !readOnly;
  }
}
