/**
 * What a user chooses for a run ({@code TrainingConfig}, its layers and optimizer): immutable,
 * validated values with one place for each default. Depends on {@code check} and on {@code nn} for
 * the names of activations; never on the training itself.
 */
package dev.trainscope.engine.config;
