package dev.drawbridge.broker.engine.session;

import java.time.Instant;
import java.util.Optional;

/**
 * One session as it was when asked, for a reader outside the engine (the console): a copy, never a live view.
 *
 * @param connectedSince when its current connection was bound to it; empty while its client is away
 * @param persistent whether it outlives its connection
 * @param subscriptions how many subscriptions it holds
 * @param queued messages waiting to be sent to its client
 * @param inflight QoS 1 and 2 messages sent and not yet acknowledged
 */
public record SessionSnapshot(
        String clientId,
        Optional<Instant> connectedSince,
        boolean persistent,
        int subscriptions,
        int queued,
        int inflight) {

    public boolean connected() {
        return connectedSince.isPresent();
    }
}
