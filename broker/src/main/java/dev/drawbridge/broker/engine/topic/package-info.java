/**
 * Topic names and topic filters as plain strings: validating a filter ({@code +}, {@code #} and {@code
 * $share/GROUP/FILTER}), the {@code $} rule, walking levels by index without allocating, and the level-keyed table
 * that the subscription index and the retained tree hang their children in. No MQTT packets, no sessions.
 */
@NullMarked
package dev.drawbridge.broker.engine.topic;

import org.jspecify.annotations.NullMarked;
