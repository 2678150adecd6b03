/**
 * Adapters for tools that speak another protocol: Keras RemoteMonitor sessions, Python-style
 * floats, and CSVLogger-compatible metrics export. Depends on {@code runs} and {@code json}.
 */
package dev.trainscope.server.remote;
