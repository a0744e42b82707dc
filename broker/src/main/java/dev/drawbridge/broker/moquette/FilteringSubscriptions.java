package dev.drawbridge.broker.moquette;

import dev.drawbridge.broker.security.DeliveryPolicy;
import io.moquette.broker.ForwardingSubscriptions;
import io.moquette.broker.subscriptions.ISubscriptionsDirectory;
import io.moquette.broker.subscriptions.Subscription;
import io.moquette.broker.subscriptions.Topic;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Moquette's subscription trie with the delivery rules it lacks: every message Moquette routes (client publishes,
 * wills, our own {@code $SYS}) asks this directory who receives it, so a subscription dropped here is never queued:
 * the {@code $}-topic rule and Mosquitto's READ check on every delivery.
 */
final class FilteringSubscriptions extends ForwardingSubscriptions {

    private final DeliveryPolicy policy;

    FilteringSubscriptions(ISubscriptionsDirectory trie, DeliveryPolicy policy) {
        super(trie);
        this.policy = policy;
    }

    @Override
    public List<Subscription> matchWithoutQosSharpening(Topic topic) {
        return keep(topic, directory.matchWithoutQosSharpening(topic));
    }

    @Override
    public List<Subscription> matchQosSharpening(Topic topic) {
        return keep(topic, directory.matchQosSharpening(topic));
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
}
