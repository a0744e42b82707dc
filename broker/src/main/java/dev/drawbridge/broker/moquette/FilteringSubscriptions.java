package dev.drawbridge.broker.moquette;

import dev.drawbridge.broker.security.DeliveryPolicy;
import io.moquette.broker.ISubscriptionsRepository;
import io.moquette.broker.subscriptions.ISubscriptionsDirectory;
import io.moquette.broker.subscriptions.Subscription;
import io.moquette.broker.subscriptions.Topic;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Moquette's subscription trie with the delivery rules it lacks: every message Moquette routes (client publishes,
 * wills, our own {@code $SYS}) asks this directory who receives it, so a subscription dropped here is never queued:
 * the {@code $}-topic rule and Mosquitto's READ check on every delivery.
 */
final class FilteringSubscriptions implements ISubscriptionsDirectory {

    private final ISubscriptionsDirectory trie;
    private final DeliveryPolicy policy;

    FilteringSubscriptions(ISubscriptionsDirectory trie, DeliveryPolicy policy) {
        this.trie = trie;
        this.policy = policy;
    }

    @Override
    public void init(ISubscriptionsRepository repository) {
        trie.init(repository);
    }

    @Override
    public Set<String> listAllSessionIds() {
        return trie.listAllSessionIds();
    }

    @Override
    public List<Subscription> matchWithoutQosSharpening(Topic topic) {
        return keep(topic, trie.matchWithoutQosSharpening(topic));
    }

    @Override
    public List<Subscription> matchQosSharpening(Topic topic) {
        return keep(topic, trie.matchQosSharpening(topic));
    }

    private List<Subscription> keep(Topic topic, List<Subscription> found) {
        if (found.isEmpty()) {
            return found;
        }
        String name = topic.toString();
        return found.stream()
                .filter(s -> DollarTopicRule.matches(s.getTopicFilter().toString(), name))
                .filter(s -> policy.mayReceive(
                        s.getClientId(), name, s.getRequestedQos().value(), false))
                .collect(Collectors.toList());
    }

    @Override
    public void add(Subscription newSubscription) {
        trie.add(newSubscription);
    }

    @Override
    public void removeSubscription(Topic topic, String clientID) {
        trie.removeSubscription(topic, clientID);
    }

    @Override
    public int size() {
        return trie.size();
    }

    @Override
    public String dumpTree() {
        return trie.dumpTree();
    }
}
