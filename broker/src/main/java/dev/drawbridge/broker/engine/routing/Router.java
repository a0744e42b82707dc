package dev.drawbridge.broker.engine.routing;

import dev.drawbridge.broker.engine.message.PublishedMessage;
import dev.drawbridge.broker.engine.retained.RetainedMessages;
import dev.drawbridge.broker.engine.session.Session;
import dev.drawbridge.broker.engine.subscription.SubscriptionIndex;
import dev.drawbridge.broker.security.DeliveryPolicy;

/**
 * Routes a published message: stores or clears it as the topic's retained message when it carries RETAIN, then hands
 * it to every matching session that may READ it, at the lower of the published and the subscribed QoS (at the subscribed
 * QoS with {@code upgrade_outgoing_qos}), with RETAIN=0 (MQTT 3.1.1 section 3.3.1.3). Runs on the publisher's thread;
 * the sessions write on their own.
 */
public final class Router {

    private final SubscriptionIndex<Session> index;
    private final RetainedMessages retained;
    private final DeliveryPolicy policy;
    private final boolean upgradeOutgoingQos;
    private final ThreadLocal<Matches> matches = ThreadLocal.withInitial(Matches::new);

    /** @param upgradeOutgoingQos deliver at the subscription's QoS, as Mosquitto's {@code upgrade_outgoing_qos} */
    public Router(
            SubscriptionIndex<Session> index,
            RetainedMessages retained,
            DeliveryPolicy policy,
            boolean upgradeOutgoingQos) {
        this.index = index;
        this.retained = retained;
        this.policy = policy;
        this.upgradeOutgoingQos = upgradeOutgoingQos;
    }

    /**
     * The QoS of a delivery: the lower of the published and the subscribed QoS, or with {@code upgrade_outgoing_qos}
     * the subscribed one (Mosquitto's subs.c and retain.c, for live and retained deliveries alike).
     */
    public int deliveryQos(int publishedQos, int subscribedQos) {
        return upgradeOutgoingQos ? subscribedQos : Math.min(publishedQos, subscribedQos);
    }

    /**
     * Publishes a message; the caller keeps its reference. Returns how many sessions have a subscription that matches
     * it, whether or not they may read it (an MQTT 5 PUBACK says when that was none, as Mosquitto's does).
     */
    public int publish(PublishedMessage message) {
        if (!message.publishedRetained()) {
            return route(message);
        }
        // Stored and routed in one step against a concurrent SUBSCRIBE's read of the retained messages (see there).
        int[] matched = {0};
        retained.whileUnchanged(() -> {
            retained.publish(message);
            matched[0] = route(message);
        });
        return matched[0];
    }

    private int route(PublishedMessage message) {
        Matches found = matches.get();
        String topic = message.topic();
        try {
            found.from(message.origin());
            index.match(topic, found);
            for (int i = 0; i < found.count(); i++) {
                Session session = found.session(i);
                int qos = deliveryQos(message.qos(), found.qos(i));
                // MQTT 5's retain as published keeps the flag; otherwise a live delivery has RETAIN=0.
                boolean retainFlag = found.retainAsPublished(i) && message.publishedRetained();
                if (policy.mayReceive(session.clientId(), topic, qos, retainFlag)) {
                    session.offer(message, qos, retainFlag, false, found.subscriptionIds(i));
                }
            }
            return found.count();
        } finally {
            found.clear();
        }
    }
}
