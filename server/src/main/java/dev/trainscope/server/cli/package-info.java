/**
 * The command line ({@code train}, {@code serve}, {@code tail}) with picocli: parses arguments,
 * prints one-line errors, and delegates to the engine, the log and the server. Nothing else depends
 * on it.
 */
package dev.trainscope.server.cli;
