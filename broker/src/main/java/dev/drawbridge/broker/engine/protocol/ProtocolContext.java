package dev.drawbridge.broker.engine.protocol;

import dev.drawbridge.broker.engine.retained.RetainedMessages;
import dev.drawbridge.broker.engine.routing.Router;
import dev.drawbridge.broker.engine.session.QueueLimits;
import dev.drawbridge.broker.engine.session.SessionRegistry;
import dev.drawbridge.broker.engine.store.EngineStore;
import dev.drawbridge.broker.security.DeliveryPolicy;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What every connection's packet handlers share.
 *
 * @param queueLimits the queue limits now, swapped whole by a reload
 * @param checkRetainSource Mosquitto's {@code check_retain_source}: a retained message goes to a new subscription only
 *     while its publisher may still write its topic
 */
public record ProtocolContext(
        SessionRegistry sessions,
        Router router,
        RetainedMessages retained,
        EngineStore store,
        DeliveryPolicy policy,
        AtomicReference<QueueLimits> queueLimits,
        boolean checkRetainSource) {

    /**
     * The QoS 1/2 PUBLISH packets a client may have unacknowledged towards the broker (MQTT 5's receive maximum,
     * Mosquitto's {@code max_inflight_messages}); 65,535 for no limit of ours.
     */
    public int receiveMaximum() {
        return Objects.requireNonNull(queueLimits.get(), "always set").window();
    }
}
