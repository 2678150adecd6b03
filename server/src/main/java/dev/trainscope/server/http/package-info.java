/**
 * The HTTP surface: the route table ({@code Routes}), handlers of a few lines that delegate to the
 * run manager and the streams, the origin and content-type checks, static files and the mapping of
 * typed errors to JSON error responses in one place. The only package that knows HTTP status codes;
 * may depend on every other server package except {@code cli}.
 */
package dev.trainscope.server.http;
