/**
 * The events of a run: immutable records under the sealed {@code TrainingEvent}, which is the one
 * list of event types (the JSON codec and the dashboard derive theirs from it). Pure values:
 * depends on {@code check} and {@code config} only.
 */
package dev.trainscope.engine.event;
