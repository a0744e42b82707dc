package dev.drawbridge.broker.engine.routing;

import dev.drawbridge.broker.engine.message.PublishedMessage;
import dev.drawbridge.broker.engine.retained.RetainedMessages;
import dev.drawbridge.broker.engine.session.Session;
import dev.drawbridge.broker.engine.subscription.SubscriptionIndex;
import dev.drawbridge.broker.security.DeliveryPolicy;

/**
 * Routes a published message: stores or clears it as the topic's retained message when it carries RETAIN, then hands
 * it to every matching session that may READ it, at the lower of the published and the subscribed QoS, with RETAIN=0
 * (MQTT 3.1.1 section 3.3.1.3). Runs on the publisher's thread; the sessions write on their own.
 */
public final class Router {

    private final SubscriptionIndex<Session> index;
    private final RetainedMessages retained;
    private final DeliveryPolicy policy;
    private final ThreadLocal<Matches> matches = ThreadLocal.withInitial(Matches::new);

    public Router(SubscriptionIndex<Session> index, RetainedMessages retained, DeliveryPolicy policy) {
        this.index = index;
        this.retained = retained;
        this.policy = policy;
    }

    /** Publishes a message; the caller keeps its reference. Returns how many sessions it was queued for. */
    public int publish(PublishedMessage message) {
        if (!message.publishedRetained()) {
            return route(message);
        }
        // Stored and routed in one step against a concurrent SUBSCRIBE's read of the retained messages (see there).
        int[] queued = {0};
        retained.whileUnchanged(() -> {
            retained.publish(message);
            queued[0] = route(message);
        });
        return queued[0];
    }

    private int route(PublishedMessage message) {
        Matches found = matches.get();
        String topic = message.topic();
        try {
            index.match(topic, found);
            int queued = 0;
            for (int i = 0; i < found.count(); i++) {
                Session session = found.session(i);
                int qos = Math.min(message.qos(), found.qos(i));
                if (policy.mayReceive(session.clientId(), topic, qos, false)
                        && session.offer(message, qos, false, false)) {
                    queued++;
                }
            }
            return queued;
        } finally {
            found.clear();
        }
    }
}
