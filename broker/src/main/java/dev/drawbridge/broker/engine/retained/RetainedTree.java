package dev.drawbridge.broker.engine.retained;

import dev.drawbridge.broker.engine.topic.SharedFilter;
import dev.drawbridge.broker.engine.topic.TopicFilters;
import dev.drawbridge.broker.engine.topic.TopicLevels;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The retained message of every topic that has one, in a tree with one node per topic level.
 *
 * <p>Threading: {@link #get} and {@link #forEachMatching} run on any number of threads at once without a lock; {@link
 * #put} and {@link #remove} may be called from any thread and are serialised by one lock that readers never take. A
 * reader running alongside a write may or may not see it, and sees every other message. Nodes left without a message
 * and without children are removed, so the tree holds only what is retained.
 *
 * @param <M> the engine's retained message
 */
public final class RetainedTree<M> {

    private final RetainedNode<M> root = new RetainedNode<>("", "", null);
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile int size;

    /**
     * Sets the retained message of a concrete topic; returns the previous one or null.
     *
     * @throws IllegalArgumentException when {@code topic} is not a valid topic name
     */
    public @Nullable M put(String topic, M message) {
        String error = TopicFilters.topicNameError(topic);
        if (error != null) {
            throw new IllegalArgumentException(error);
        }
        writeLock.lock();
        try {
            RetainedNode<M> node = root;
            for (int start = 0; start <= topic.length(); ) {
                int end = TopicLevels.end(topic, start);
                RetainedNode<M> next = node.children.get(topic, start, end);
                if (next == null) {
                    next = new RetainedNode<>(topic.substring(start, end), topic.substring(0, end), node);
                    node.children.put(next);
                }
                node = next;
                start = end + 1;
            }
            M previous = node.message;
            node.message = message;
            if (previous == null) {
                size = size + 1;
            }
            return previous;
        } finally {
            writeLock.unlock();
        }
    }

    /** Clears the retained message of a topic; returns it, or null when there was none. */
    public @Nullable M remove(String topic) {
        writeLock.lock();
        try {
            RetainedNode<M> node = find(topic);
            M previous = node == null ? null : node.message;
            if (node == null || previous == null) {
                return null;
            }
            node.message = null;
            size = size - 1;
            for (RetainedNode<M> n = node; n.message == null && n.children.isEmpty(); ) {
                RetainedNode<M> parent = n.parent();
                if (parent == null) {
                    break;
                }
                parent.children.remove(n);
                n = parent;
            }
            return previous;
        } finally {
            writeLock.unlock();
        }
    }

    /** The retained message of a concrete topic, or null; lock-free, allocates nothing. */
    public @Nullable M get(String topic) {
        RetainedNode<M> node = find(topic);
        return node == null ? null : node.message;
    }

    /**
     * Visits every retained message whose topic matches the filter, with its topic. Wildcards are allowed; filters
     * whose first level is {@code +} or {@code #} skip topics starting with {@code $}. Lock-free; allocates one small
     * object per call.
     *
     * @throws IllegalArgumentException when {@code filter} is invalid or a {@code $share/} filter (pass its filter part)
     */
    public void forEachMatching(String filter, BiConsumer<String, M> visitor) {
        String error = SharedFilter.isShared(filter)
                ? "a $share/ filter has no retained messages; expected its filter part, found \"" + filter + "\""
                : TopicFilters.filterError(filter);
        if (error != null) {
            throw new IllegalArgumentException(error);
        }
        new Walk<>(root, filter, visitor).walk(root, 0);
    }

    /** Visits every retained message, {@code $} topics included (no filter reaches them all). Lock-free. */
    public void forEach(BiConsumer<String, M> visitor) {
        visitAll(root, visitor);
    }

    private static <M> void visitAll(RetainedNode<M> node, BiConsumer<String, M> visitor) {
        M message = node.message;
        if (message != null) {
            visitor.accept(node.topic(), message);
        }
        node.children.forEach(child -> visitAll(child, visitor));
    }

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

    private @Nullable RetainedNode<M> find(String topic) {
        RetainedNode<M> node = root;
        for (int start = 0; start <= topic.length() && node != null; ) {
            int end = TopicLevels.end(topic, start);
            node = node.children.get(topic, start, end);
            start = end + 1;
        }
        return node;
    }

    /** One forEachMatching call: the filter and visitor, so the recursion passes only a node and a position. */
    private static final class Walk<M> {
        private final RetainedNode<M> root;
        private final String filter;
        private final BiConsumer<String, M> visitor;

        Walk(RetainedNode<M> root, String filter, BiConsumer<String, M> visitor) {
            this.root = root;
            this.filter = filter;
            this.visitor = visitor;
        }

        // The filter level starting at `start` is the next to match; start > length means all of it matched `node`.
        void walk(RetainedNode<M> node, int start) {
            if (start > filter.length()) {
                emit(node);
                return;
            }
            int end = TopicLevels.end(filter, start);
            if (TopicLevels.isChar(filter, start, end, '#')) {
                emit(node); // "a/#" matches "a"
                node.children.forEach(Walk::everything, this, 0);
            } else if (TopicLevels.isChar(filter, start, end, '+')) {
                node.children.forEach(Walk::plus, this, end + 1);
            } else {
                RetainedNode<M> child = node.children.get(filter, start, end);
                if (child != null) {
                    walk(child, end + 1);
                }
            }
        }

        void plus(RetainedNode<M> child, int next) {
            if (!isDollarAtRoot(child)) {
                walk(child, next);
            }
        }

        void everything(RetainedNode<M> child, int unused) {
            if (!isDollarAtRoot(child)) {
                emit(child);
                child.children.forEach(Walk::everything, this, 0);
            }
        }

        // The $ rule: a wildcard in the first level of a filter skips the topics starting with '$'.
        private boolean isDollarAtRoot(RetainedNode<M> child) {
            return child.parent() == root && TopicFilters.isDollarTopic(child.level());
        }

        private void emit(RetainedNode<M> node) {
            M message = node.message;
            if (message != null) {
                visitor.accept(node.topic(), message);
            }
        }
    }

    private static int count(RetainedNode<?> node) {
        int[] total = {1};
        node.children.forEach(child -> total[0] += count(child));
        return total[0];
    }
}
