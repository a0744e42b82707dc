package dev.drawbridge.broker.engine.subscription;

import dev.drawbridge.broker.engine.topic.SharedFilter;
import dev.drawbridge.broker.engine.topic.TopicFilters;
import dev.drawbridge.broker.engine.topic.TopicLevels;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Every subscription of every session, as a tree with one node per filter level, matched against PUBLISH topics.
 *
 * <p>Threading: {@link #match} runs on any number of threads at once without a lock and without allocating: it walks
 * volatile fields and {@link dev.drawbridge.broker.engine.topic.LevelTable}s whose entries never move, and the
 * subscriber lists and shared groups it reaches are immutable. {@link #subscribe} and {@link #unsubscribe} may be
 * called from any thread; they are serialised by one lock, which a match never takes. A match running alongside a
 * subscribe may or may not see it, and sees every other subscription.
 *
 * <p>Empty nodes are removed on unsubscribe, so the tree holds only what is subscribed, however much churn it saw.
 *
 * @param <S> the engine's session type, compared by identity
 */
public final class SubscriptionIndex<S> {

    private final SubscriptionNode<S> root = new SubscriptionNode<>("", null);
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile int size;

    /**
     * Adds or replaces (same subscriber, same filter) a subscription. Returns true if it is new, false if it replaced
     * one.
     *
     * @throws IllegalArgumentException when the filter is not valid ({@link TopicFilters#filterError} says why)
     */
    public boolean subscribe(String filter, S subscriber, SubscriptionOptions options) {
        String error = TopicFilters.filterError(filter);
        if (error != null) {
            throw new IllegalArgumentException(error);
        }
        SharedFilter shared = SharedFilter.parse(filter);
        String levels = shared == null ? filter : shared.filter();
        writeLock.lock();
        try {
            SubscriptionNode<S> node = descend(levels);
            boolean added;
            if (shared == null) {
                SubscriberList<S> list = node.subscribers;
                added = list.indexOf(subscriber) < 0;
                node.subscribers = list.with(subscriber, options);
            } else {
                added = node.joinGroup(shared.group(), shared.filter(), subscriber, options);
            }
            if (added) {
                size = size + 1;
            }
            return added;
        } finally {
            writeLock.unlock();
        }
    }

    /** Returns true if there was such a subscription. An invalid filter never has one. */
    public boolean unsubscribe(String filter, S subscriber) {
        if (!TopicFilters.isValidFilter(filter)) {
            return false;
        }
        SharedFilter shared = SharedFilter.parse(filter);
        String levels = shared == null ? filter : shared.filter();
        writeLock.lock();
        try {
            SubscriptionNode<S> node = find(levels);
            if (node == null) {
                return false;
            }
            if (shared == null) {
                SubscriberList<S> list = node.subscribers;
                int i = list.indexOf(subscriber);
                if (i < 0) {
                    return false;
                }
                node.subscribers = list.without(i);
            } else if (!node.leaveGroup(shared.group(), subscriber)) {
                return false;
            }
            size = size - 1;
            for (SubscriptionNode<S> n = node; n.parent() != null && n.isEmpty(); n = n.parent()) {
                n.unlink();
            }
            return true;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Visits every subscription whose filter matches the topic (a concrete topic name, no wildcards). Normal
     * subscriptions are visited one by one (a subscriber matching several filters is visited once per filter: the
     * caller merges); shared groups via {@link SubscriberVisitor#sharedGroup}. A topic starting with {@code $} is not
     * matched by filters whose first level is {@code +} or {@code #}. Lock-free; allocates nothing.
     */
    public void match(String topic, SubscriberVisitor<S> visitor) {
        walk(root, topic, 0, visitor, !TopicFilters.isDollarTopic(topic));
    }

    /** Number of subscriptions (normal + shared members). */
    public int size() {
        return size;
    }

    /** Nodes below the root, for tests that check pruning. */
    int nodeCount() {
        writeLock.lock();
        try {
            return count(root) - 1;
        } finally {
            writeLock.unlock();
        }
    }

    // The level starting at `start` is the next to match; start > length means every level of the topic matched.
    private static <S> void walk(
            SubscriptionNode<S> node, String topic, int start, SubscriberVisitor<S> visitor, boolean wildcards) {
        SubscriptionNode<S> hash = node.hash;
        if (hash != null && wildcards) {
            visit(hash, visitor); // the rest of the topic, or none of it: "a/#" matches "a"
        }
        if (start > topic.length()) {
            visit(node, visitor);
            return;
        }
        int end = TopicLevels.end(topic, start);
        SubscriptionNode<S> plus = node.plus;
        if (plus != null && wildcards) {
            walk(plus, topic, end + 1, visitor, true);
        }
        SubscriptionNode<S> child = node.children.get(topic, start, end);
        if (child != null) {
            walk(child, topic, end + 1, visitor, true);
        }
    }

    private static <S> void visit(SubscriptionNode<S> node, SubscriberVisitor<S> visitor) {
        node.subscribers.visit(visitor);
        SharedGroup<S>[] groups = node.groups;
        for (SharedGroup<S> group : groups) {
            visitor.sharedGroup(group);
        }
    }

    /** The node of a filter, created with the missing nodes on its way (writers only). */
    private SubscriptionNode<S> descend(String filter) {
        SubscriptionNode<S> node = root;
        for (int start = 0; start <= filter.length(); ) {
            int end = TopicLevels.end(filter, start);
            SubscriptionNode<S> next;
            if (TopicLevels.isChar(filter, start, end, '+')) {
                next = node.plus;
                if (next == null) {
                    next = new SubscriptionNode<>("+", node);
                    node.plus = next;
                }
            } else if (TopicLevels.isChar(filter, start, end, '#')) {
                next = node.hash;
                if (next == null) {
                    next = new SubscriptionNode<>("#", node);
                    node.hash = next;
                }
            } else {
                next = node.children.get(filter, start, end);
                if (next == null) {
                    next = new SubscriptionNode<>(filter.substring(start, end), node);
                    node.children.put(next);
                }
            }
            node = next;
            start = end + 1;
        }
        return node;
    }

    /** The node of a filter, or null when there is none (writers only). */
    private @Nullable SubscriptionNode<S> find(String filter) {
        SubscriptionNode<S> node = root;
        for (int start = 0; start <= filter.length() && node != null; ) {
            int end = TopicLevels.end(filter, start);
            if (TopicLevels.isChar(filter, start, end, '+')) {
                node = node.plus;
            } else if (TopicLevels.isChar(filter, start, end, '#')) {
                node = node.hash;
            } else {
                node = node.children.get(filter, start, end);
            }
            start = end + 1;
        }
        return node;
    }

    private static int count(SubscriptionNode<?> node) {
        int[] total = {1};
        node.children.forEach(child -> total[0] += count(child));
        SubscriptionNode<?> plus = node.plus;
        SubscriptionNode<?> hash = node.hash;
        return total[0] + (plus == null ? 0 : count(plus)) + (hash == null ? 0 : count(hash));
    }
}
