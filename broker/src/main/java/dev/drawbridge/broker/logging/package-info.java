/**
 * Applies {@code log_dest}, {@code log_type} and {@code log_timestamp} to the logging backend, and sets up what is
 * logged before that (or for an embedder without a logging configuration of its own), in Mosquitto's line format.
 */
@NullMarked
package dev.drawbridge.broker.logging;

import org.jspecify.annotations.NullMarked;
