package dev.drawbridge.broker.conf;

/**
 * Mosquitto's broker-wide options on how messages are delivered.
 *
 * @param upgradeOutgoingQos {@code upgrade_outgoing_qos}: a subscriber gets each message at its subscription's QoS,
 *     not at the lower of that and the published QoS
 * @param checkRetainSource {@code check_retain_source}: a retained message goes to a new subscriber only while its
 *     publisher may still write its topic, under the rules in force at that moment
 */
public record DeliveryOptions(boolean upgradeOutgoingQos, boolean checkRetainSource) {

    /** Mosquitto's defaults: both off. */
    public static final DeliveryOptions DEFAULTS = new DeliveryOptions(false, false);
}
