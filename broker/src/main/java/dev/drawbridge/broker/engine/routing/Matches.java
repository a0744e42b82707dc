package dev.drawbridge.broker.engine.routing;

import dev.drawbridge.broker.engine.session.Session;
import dev.drawbridge.broker.engine.subscription.SharedGroup;
import dev.drawbridge.broker.engine.subscription.SubscriberVisitor;
import dev.drawbridge.broker.engine.subscription.SubscriptionOptions;
import java.util.Arrays;

/**
 * The sessions one message goes to, collected from the subscription index by one thread and reused for the next
 * message: a session that matches through several filters is kept once, with the highest QoS it subscribed with
 * (Mosquitto sends one copy). No allocation once its arrays have grown to the largest fan-out seen.
 */
final class Matches implements SubscriberVisitor<Session> {

    private Session[] sessions = new Session[16];
    private int[] qos = new int[16];
    private int count;

    @Override
    public void subscriber(Session session, SubscriptionOptions options) {
        add(session, options.qos());
    }

    @Override
    public void sharedGroup(SharedGroup<Session> group) {
        int size = group.size();
        if (size == 0) {
            return;
        }
        int chosen = size == 1 ? 0 : group.nextIndex();
        add(group.member(chosen), group.options(chosen).qos());
    }

    private void add(Session session, int subscribedQos) {
        if (session.subscriptionCount() > 1) {
            // Only a session with several subscriptions can match twice: look for it among those collected.
            for (int i = 0; i < count; i++) {
                if (sessions[i] == session) {
                    qos[i] = Math.max(qos[i], subscribedQos);
                    return;
                }
            }
        }
        if (count == sessions.length) {
            sessions = Arrays.copyOf(sessions, count * 2);
            qos = Arrays.copyOf(qos, count * 2);
        }
        sessions[count] = session;
        qos[count] = subscribedQos;
        count++;
    }

    int count() {
        return count;
    }

    Session session(int i) {
        return sessions[i];
    }

    int qos(int i) {
        return qos[i];
    }

    /** Forgets the sessions (so that gone ones can be collected) for the next message. */
    void clear() {
        Arrays.fill(sessions, 0, count, null);
        count = 0;
    }
}
