/**
 * The broker's configuration: Mosquitto's own {@code mosquitto.conf}, parsed into immutable records. Every problem is
 * reported as {@code FILE:LINE: reason}; nothing is clamped or silently defaulted.
 */
@NullMarked
package dev.drawbridge.broker.conf;

import org.jspecify.annotations.NullMarked;
