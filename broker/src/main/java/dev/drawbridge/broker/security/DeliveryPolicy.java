package dev.drawbridge.broker.security;

/** Whether a subscriber may receive a message: Mosquitto's READ check, asked for every delivery. */
@FunctionalInterface
public interface DeliveryPolicy {

    /** Must be fast, must not block, must not throw. */
    boolean mayReceive(String clientId, String topic, int qos, boolean retain);
}
