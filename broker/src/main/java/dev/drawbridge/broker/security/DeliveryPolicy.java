package dev.drawbridge.broker.security;

/** Whether a subscriber may receive a message: Mosquitto's READ check, asked for every delivery. */
public interface DeliveryPolicy {

    /** Must be fast, must not block, must not throw. */
    boolean mayReceive(String clientId, String topic, int qos, boolean retain);

    /** Whether the client may subscribe to the filter at all (Mosquitto asks plugins); must not throw. */
    default boolean maySubscribe(String clientId, String filter) {
        return true;
    }
}
