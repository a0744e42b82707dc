package dev.drawbridge.broker.engine.subscription;

import java.util.ArrayList;
import java.util.List;

/**
 * A visitor that writes down what a match visited, one string per visit: {@code subscriber#id:qos} for a normal
 * subscription (id is the subscription identifier, which the tests use to name the filter) and {@code
 * $share/group/filter=[member:qos, ...]} for a group, members sorted.
 */
final class Recorder implements SubscriberVisitor<String> {

    final List<String> visits = new ArrayList<>();

    static String normal(String subscriber, int id, int qos) {
        return subscriber + "#" + id + ":" + qos;
    }

    static String group(String name, String filter, List<String> membersWithQos) {
        return "$share/" + name + "/" + filter + "="
                + membersWithQos.stream().sorted().toList();
    }

    @Override
    public void subscriber(String subscriber, SubscriptionOptions options) {
        visits.add(normal(subscriber, options.subscriptionIdentifier(), options.qos()));
    }

    @Override
    public void sharedGroup(SharedGroup<String> group) {
        List<String> members = new ArrayList<>();
        for (int i = 0; i < group.size(); i++) {
            members.add(group.member(i) + ":" + group.options(i).qos());
        }
        visits.add(group(group.name(), group.filter(), members));
    }

    static List<String> match(SubscriptionIndex<String> index, String topic) {
        Recorder recorder = new Recorder();
        index.match(topic, recorder);
        return recorder.visits;
    }
}
