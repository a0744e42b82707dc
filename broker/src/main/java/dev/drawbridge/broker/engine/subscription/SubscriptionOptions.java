package dev.drawbridge.broker.engine.subscription;

/**
 * What a SUBSCRIBE asked for one filter (MQTT 5 section 3.8.3.1; MQTT 3.1.1 has the QoS only).
 *
 * @param qos the maximum QoS, 0 to 2
 * @param noLocal do not deliver the subscriber's own messages
 * @param retainAsPublished keep the RETAIN flag of forwarded messages
 * @param retainHandling 0 send retained messages on subscribe, 1 only if the subscription is new, 2 never
 * @param subscriptionIdentifier 1 to 268,435,455, or 0 for none
 */
public record SubscriptionOptions(
        int qos, boolean noLocal, boolean retainAsPublished, int retainHandling, int subscriptionIdentifier) {

    private static final SubscriptionOptions[] PLAIN = {
        new SubscriptionOptions(0, false, false, 0, 0),
        new SubscriptionOptions(1, false, false, 0, 0),
        new SubscriptionOptions(2, false, false, 0, 0)
    };

    public SubscriptionOptions {
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos must be 0, 1 or 2, found " + qos);
        }
        if (retainHandling < 0 || retainHandling > 2) {
            throw new IllegalArgumentException("retainHandling must be 0, 1 or 2, found " + retainHandling);
        }
        if (subscriptionIdentifier < 0 || subscriptionIdentifier > 268_435_455) {
            throw new IllegalArgumentException(
                    "subscriptionIdentifier must be 0 (none) to 268435455, found " + subscriptionIdentifier);
        }
    }

    /**
     * The options of an MQTT 3.1.1 or 3.1 bridge's subscription (a client whose CONNECT had the bridge bit), as
     * Mosquitto's {@code handle_subscribe.c} sets them: no local, so what the bridge publishes does not go back to it,
     * and retain as published, so a retained message reaches the other broker retained. A shared subscription of a
     * bridge gets its own messages too, as every shared subscription does in Mosquitto 2.0.11 (its {@code subs.c}
     * checks no local for plain subscriptions only), and as the router does here.
     */
    public static SubscriptionOptions bridge(int qos) {
        return new SubscriptionOptions(qos, true, true, 0, 0);
    }

    /** The options of an MQTT 3.1.1 subscription: the QoS, everything else default (shared instances). */
    public static SubscriptionOptions qos(int qos) {
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos must be 0, 1 or 2, found " + qos);
        }
        return PLAIN[qos];
    }
}
