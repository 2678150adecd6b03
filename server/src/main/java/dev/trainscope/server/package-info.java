/**
 * The server: {@code TrainscopeServer} wires the run manager, the routes and the Reactor Netty
 * server from one {@code ServerConfig}, and disposes them together.
 */
package dev.trainscope.server;
