/**
 * Data sets as matrices of features and labels: the built-in ones, CSV input, standardisation and
 * the seeded train/validation split. Depends on {@code check} and {@code nn.Matrix} only.
 */
package dev.trainscope.engine.data;
