/**
 * The broker's store: sessions, subscriptions, retained messages and the QoS 1/2 messages owed to persistent sessions,
 * in one H2 MVStore file that is committed (and synced) before any acknowledgement that depends on it leaves, so that
 * a {@code kill -9} at any moment loses nothing the broker has acknowledged.
 */
@NullMarked
package dev.drawbridge.broker.moquette.store;

import org.jspecify.annotations.NullMarked;
