/**
 * Sessions and their registry: what each client is owed (queued, in flight, QoS 2 receipts), takeover and clean
 * session, limits per client, and the batching of deliveries onto the client's event loop. It writes through
 * {@link dev.drawbridge.broker.engine.session.ClientLink} only, never a channel, and does not route.
 */
@NullMarked
package dev.drawbridge.broker.engine.session;

import org.jspecify.annotations.NullMarked;
