/**
 * Validation helpers ({@code Require}) and the exception they throw, whose messages state the
 * requirement and the value found. Depends on nothing; every other package may use it.
 */
package dev.trainscope.engine.check;
