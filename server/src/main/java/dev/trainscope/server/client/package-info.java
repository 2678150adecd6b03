/**
 * Client-side protocol code that needs no server: the Server-Sent Events parser {@code tail} uses.
 * Depends on the JDK only.
 */
package dev.trainscope.server.client;
