/**
 * Drawbridge's own MQTT engine on Netty: {@link dev.drawbridge.broker.engine.Engine} assembles the packages below
 * and is all the rest of the broker sees of it. Packet handlers ({@code protocol}) drive sessions ({@code session}),
 * which the subscription index ({@code subscription}) and the router ({@code routing}) feed; retained messages
 * ({@code retained}), wills ({@code will}) and the store port ({@code store}) have their own packages, and outgoing
 * packets are encoded in {@code codec}; {@code watch} is the broker's own in-process subscriber (the console's live
 * view). No engine package touches a Netty channel: connections reach the engine
 * through {@link dev.drawbridge.broker.engine.session.ClientLink}, implemented by the listener layer.
 */
@NullMarked
package dev.drawbridge.broker.engine;

import org.jspecify.annotations.NullMarked;
