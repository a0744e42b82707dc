package dev.drawbridge.broker.engine.routing;

import dev.drawbridge.broker.engine.session.Session;
import dev.drawbridge.broker.engine.subscription.SharedGroup;
import dev.drawbridge.broker.engine.subscription.SubscriberVisitor;
import dev.drawbridge.broker.engine.subscription.SubscriptionOptions;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The sessions one message goes to, collected from the subscription index by one thread and reused for the next
 * message: a session that matches through several filters is kept once, with the highest QoS it subscribed with
 * (Mosquitto sends one copy), every subscription identifier of those filters, and RETAIN kept if any of them asked to
 * keep it. A subscription with MQTT 5's no local does not match its own client's messages. No allocation once its
 * arrays have grown to the largest fan-out seen, unless subscription identifiers are in use.
 */
final class Matches implements SubscriberVisitor<Session> {

    private Session[] sessions = new Session[16];
    private int[] qos = new int[16];
    private boolean[] retainAsPublished = new boolean[16];
    private int[] @Nullable [] subscriptionIds = new int[16][];
    private int count;
    /** The publisher of the message being matched, for no local; null for the broker's own messages. */
    private @Nullable String origin;

    /** Starts collecting for a message from this client (null: from the broker). */
    void from(@Nullable String publisher) {
        origin = publisher;
    }

    @Override
    public void subscriber(Session session, SubscriptionOptions options) {
        if (options.noLocal() && origin != null && origin.equals(session.clientId())) {
            return; // MQTT-3.8.3-3
        }
        add(session, options);
    }

    @Override
    public void sharedGroup(SharedGroup<Session> group) {
        int size = group.size();
        if (size == 0) {
            return;
        }
        int chosen = size == 1 ? 0 : group.nextIndex();
        add(group.member(chosen), group.options(chosen));
    }

    private void add(Session session, SubscriptionOptions options) {
        int id = options.subscriptionIdentifier();
        if (session.subscriptionCount() > 1) {
            // Only a session with several subscriptions can match twice: look for it among those collected.
            for (int i = 0; i < count; i++) {
                if (sessions[i] == session) {
                    qos[i] = Math.max(qos[i], options.qos());
                    retainAsPublished[i] |= options.retainAsPublished();
                    if (id != 0) {
                        int[] ids = subscriptionIds[i];
                        subscriptionIds[i] = ids == null ? new int[] {id} : append(ids, id);
                    }
                    return;
                }
            }
        }
        if (count == sessions.length) {
            sessions = Arrays.copyOf(sessions, count * 2);
            qos = Arrays.copyOf(qos, count * 2);
            retainAsPublished = Arrays.copyOf(retainAsPublished, count * 2);
            subscriptionIds = Arrays.copyOf(subscriptionIds, count * 2);
        }
        sessions[count] = session;
        qos[count] = options.qos();
        retainAsPublished[count] = options.retainAsPublished();
        subscriptionIds[count] = id == 0 ? null : new int[] {id};
        count++;
    }

    private static int[] append(int[] ids, int id) {
        int[] more = Arrays.copyOf(ids, ids.length + 1);
        more[ids.length] = id;
        return more;
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

    /** Whether a subscription of this session asked for the RETAIN flag as published (MQTT 5's retain as published). */
    boolean retainAsPublished(int i) {
        return retainAsPublished[i];
    }

    /** The identifiers of the subscriptions this session matched through, or null for none. */
    int @Nullable [] subscriptionIds(int i) {
        return subscriptionIds[i];
    }

    /** Forgets the sessions (so that gone ones can be collected) for the next message. */
    void clear() {
        Arrays.fill(sessions, 0, count, null);
        Arrays.fill(subscriptionIds, 0, count, null);
        count = 0;
        origin = null;
    }
}
