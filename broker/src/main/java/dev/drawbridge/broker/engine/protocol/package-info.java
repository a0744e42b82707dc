/**
 * The packet handlers, one class per packet kind in protocol order, read like Mosquitto's {@code handle_*.c}: they
 * take the admitted packets of one connection and act on sessions, routing and retained messages. Authentication,
 * topic validation and PUBLISH rights were judged before, in the listener layer; no handler touches a channel.
 */
@NullMarked
package dev.drawbridge.broker.engine.protocol;

import org.jspecify.annotations.NullMarked;
