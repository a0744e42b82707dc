package dev.drawbridge.broker.moquette.store;

import dev.drawbridge.broker.engine.store.StoreCommitter;
import io.moquette.broker.ISubscriptionsRepository;
import io.moquette.broker.subscriptions.Subscription;
import io.moquette.broker.subscriptions.Topic;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * Subscriptions of persistent sessions (a clean session's end with its connection, so they are not stored and their
 * SUBACK does not wait for the disk), keyed by client id and filter with a NUL between them: neither may contain
 * U+0000, so two pairs never share a key (Moquette's own store joins them with '-', which collides).
 */
final class StoredSubscriptions implements ISubscriptionsRepository {

    private static final char SEPARATOR = '\u0000';

    private final MVMap<String, Integer> map;
    private final StoreCommitter committer;
    private final Predicate<String> persistent;

    /**
     * @param persistent whether a client id has a persistent session now
     */
    StoredSubscriptions(MVStore store, StoreCommitter committer, Predicate<String> persistent) {
        this.map = store.openMap("drawbridge_subscriptions");
        this.committer = committer;
        this.persistent = persistent;
    }

    /** Called once, when the broker starts: subscriptions of sessions that are gone are dropped. */
    @Override
    public Set<Subscription> listAllSubscriptions() {
        Set<Subscription> all = new HashSet<>();
        for (Map.Entry<String, Integer> e : List.copyOf(map.entrySet())) {
            int cut = e.getKey().indexOf(SEPARATOR);
            String clientId = e.getKey().substring(0, cut);
            if (!persistent.test(clientId)) {
                map.remove(e.getKey());
                committer.changed();
                continue;
            }
            String filter = e.getKey().substring(cut + 1);
            all.add(new Subscription(clientId, new Topic(filter), MqttQoS.valueOf(e.getValue())));
        }
        return all;
    }

    @Override
    public void addNewSubscription(Subscription subscription) {
        if (!persistent.test(subscription.getClientId())) {
            return;
        }
        map.put(
                key(subscription.getClientId(), subscription.getTopicFilter().toString()),
                subscription.getRequestedQos().value());
        committer.changed();
    }

    @Override
    public void removeSubscription(String topic, String clientID) {
        if (map.remove(key(clientID, topic)) != null) {
            committer.changed();
        }
    }

    private static String key(String clientId, String filter) {
        return clientId + SEPARATOR + filter;
    }
}
