/** Applies {@code log_dest}, {@code log_type} and {@code log_timestamp} to the logging backend. */
@NullMarked
package dev.drawbridge.broker.logging;

import org.jspecify.annotations.NullMarked;
