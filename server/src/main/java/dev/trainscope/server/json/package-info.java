/**
 * JSON in and out with Jackson: the event codec (one encoding of every event, derived from the
 * engine's event types), strict UTF-8 decoding and errors that name the field and the line and
 * column. Depends on the engine's values only.
 */
package dev.trainscope.server.json;
