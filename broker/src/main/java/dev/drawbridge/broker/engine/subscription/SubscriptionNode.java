package dev.drawbridge.broker.engine.subscription;

import dev.drawbridge.broker.engine.topic.LevelTable;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * One level of the subscription tree. Readers (matches) read the volatile fields without a lock; writers hold the
 * index's lock and replace, never mutate, what those fields point to. The {@code +} and {@code #} children have their
 * own fields, so a match tries them without a table probe.
 */
final class SubscriptionNode<S> implements LevelTable.Keyed {

    private static final SharedGroup<?>[] NO_GROUPS = new SharedGroup<?>[0];

    private final String level;
    private final @Nullable SubscriptionNode<S> parent;
    final LevelTable<SubscriptionNode<S>> children = new LevelTable<>();
    volatile @Nullable SubscriptionNode<S> plus;
    volatile @Nullable SubscriptionNode<S> hash;
    volatile SubscriberList<S> subscribers = SubscriberList.empty();
    volatile SharedGroup<S>[] groups = noGroups();

    SubscriptionNode(String level, @Nullable SubscriptionNode<S> parent) {
        this.level = level;
        this.parent = parent;
    }

    @Override
    public String level() {
        return level;
    }

    @Nullable
    SubscriptionNode<S> parent() {
        return parent;
    }

    /** Whether nothing hangs here any more, so the node can go (writers only). */
    boolean isEmpty() {
        return subscribers.size() == 0 && groups.length == 0 && children.isEmpty() && plus == null && hash == null;
    }

    /** Takes this node out of its parent (writers only). */
    void unlink() {
        SubscriptionNode<S> p = parent;
        if (p == null) {
            return;
        }
        if (p.plus == this) {
            p.plus = null;
        } else if (p.hash == this) {
            p.hash = null;
        } else {
            p.children.remove(this);
        }
    }

    /** Adds or replaces a member of group {@code name}; returns whether it is new. */
    boolean joinGroup(String name, String filter, S member, SubscriptionOptions options) {
        SharedGroup<S>[] current = groups;
        for (int g = 0; g < current.length; g++) {
            if (current[g].name().equals(name)) {
                boolean added = current[g].indexOf(member) < 0;
                SharedGroup<S>[] replaced = current.clone();
                replaced[g] = current[g].with(member, options);
                groups = replaced;
                return added;
            }
        }
        SharedGroup<S>[] more = Arrays.copyOf(current, current.length + 1);
        more[current.length] = SharedGroup.of(name, filter, member, options);
        groups = more;
        return true;
    }

    /** Removes a member of group {@code name}, and the group with its last member; returns whether it was one. */
    boolean leaveGroup(String name, Object member) {
        SharedGroup<S>[] current = groups;
        for (int g = 0; g < current.length; g++) {
            if (!current[g].name().equals(name)) {
                continue;
            }
            int i = current[g].indexOf(member);
            if (i < 0) {
                return false;
            }
            if (current[g].size() > 1) {
                SharedGroup<S>[] replaced = current.clone();
                replaced[g] = current[g].without(i);
                groups = replaced;
            } else {
                SharedGroup<S>[] fewer = noGroups(current.length - 1);
                System.arraycopy(current, 0, fewer, 0, g);
                System.arraycopy(current, g + 1, fewer, g, current.length - g - 1);
                groups = fewer;
            }
            return true;
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private static <S> SharedGroup<S>[] noGroups() {
        return (SharedGroup<S>[]) NO_GROUPS;
    }

    @SuppressWarnings("unchecked")
    private static <S> SharedGroup<S>[] noGroups(int length) {
        return length == 0 ? noGroups() : (SharedGroup<S>[]) new SharedGroup<?>[length];
    }
}
