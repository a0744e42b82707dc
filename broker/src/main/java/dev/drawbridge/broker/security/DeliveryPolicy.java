package dev.drawbridge.broker.security;

import dev.drawbridge.broker.engine.message.Publisher;
import org.jspecify.annotations.Nullable;

/** Whether a subscriber may receive a message: Mosquitto's READ check, asked for every delivery. */
public interface DeliveryPolicy {

    /** Must be fast, must not block, must not throw. */
    boolean mayReceive(String clientId, String topic, int qos, boolean retain);

    /** Whether the client may subscribe to the filter at all (Mosquitto asks plugins); must not throw. */
    default boolean maySubscribe(String clientId, String filter) {
        return true;
    }

    /** Who a connected client is to the rules, to keep with what it retains; null when it is not known. */
    default @Nullable Publisher publisher(String clientId) {
        return null;
    }

    /**
     * Whether the publisher of a retained message may still write its topic under the rules in force now ({@code
     * check_retain_source}); must not throw. Unknown: no.
     */
    default boolean publisherMayWrite(Publisher publisher, String topic, int qos) {
        return false;
    }
}
