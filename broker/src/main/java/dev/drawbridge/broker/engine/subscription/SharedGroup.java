package dev.drawbridge.broker.engine.subscription;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The members of one shared subscription group on one filter ({@code $share/name/filter}), as they were when the
 * match saw them. An instance never changes: a subscribe or unsubscribe publishes a new one, so {@link #size()} and
 * {@link #member(int)} always agree, and reading them allocates nothing.
 *
 * @param <S> the engine's session type
 */
public final class SharedGroup<S> {

    private final String name;
    private final String filter;
    private final SubscriberList<S> members;
    // Shared by every version of the group, so turns go round across subscribes and unsubscribes.
    private final AtomicInteger turn;

    private SharedGroup(String name, String filter, SubscriberList<S> members, AtomicInteger turn) {
        this.name = name;
        this.filter = filter;
        this.members = members;
        this.turn = turn;
    }

    static <S> SharedGroup<S> of(String name, String filter, S member, SubscriptionOptions options) {
        return new SharedGroup<>(name, filter, SubscriberList.<S>empty().with(member, options), new AtomicInteger());
    }

    /** The group name, {@code g} in {@code $share/g/a/+}. */
    public String name() {
        return name;
    }

    /** The filter without the {@code $share/name/} prefix, {@code a/+} in {@code $share/g/a/+}. */
    public String filter() {
        return filter;
    }

    /** Number of members, at least one. */
    public int size() {
        return members.size();
    }

    public S member(int i) {
        return members.subscriber(i);
    }

    public SubscriptionOptions options(int i) {
        return members.options(i);
    }

    /**
     * A member index taken in turn (round robin over all matches of this group, from any thread): a ready-made choice
     * for callers that have no better one, such as a member that is connected.
     */
    public int nextIndex() {
        return Math.floorMod(turn.getAndIncrement(), members.size());
    }

    int indexOf(Object member) {
        return members.indexOf(member);
    }

    /** This group with the member added, or its options replaced when it is one already. */
    SharedGroup<S> with(S member, SubscriptionOptions options) {
        return new SharedGroup<>(name, filter, members.with(member, options), turn);
    }

    /** This group without the member at {@code i}; the caller drops the group when it was the last. */
    SharedGroup<S> without(int i) {
        return new SharedGroup<>(name, filter, members.without(i), turn);
    }

    @Override
    public String toString() {
        return "$share/" + name + "/" + filter + " (" + members.size() + " members)";
    }
}
