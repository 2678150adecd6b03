/**
 * Server-Sent Events on the wire: frame encoding and the per-stream gate that bounds what a slow
 * client can hold (bytes queued, streams open, stalls). Knows Netty and Reactor, not runs.
 */
package dev.trainscope.server.sse;
