/**
 * The runs a server knows: starting engine runs on the training scheduler, accepting pushed events
 * of external runs, appending every event to its log, and failure handling. Streams are readers of
 * the log ({@code LogReaders}), never of the trainer. Depends on the engine, {@code json} and
 * {@code log}; never on HTTP.
 */
package dev.trainscope.server.runs;
