/**
 * The application message as the engine routes it: one reference-counted object per PUBLISH, shared by every
 * subscriber and by the retained store, with its QoS 0 packet encoded once. Knows nothing of sessions or routing.
 */
@NullMarked
package dev.drawbridge.broker.engine.message;

import org.jspecify.annotations.NullMarked;
