package dev.drawbridge.broker.engine.subscription;

/**
 * Receives the matches of {@link SubscriptionIndex#match}: called on the matching thread, during the match, so it must
 * not block and must not subscribe or unsubscribe on the index it is visiting.
 *
 * @param <S> the engine's session type
 */
public interface SubscriberVisitor<S> {

    /** A normal subscription that matches; a subscriber matching several filters comes once per filter. */
    void subscriber(S subscriber, SubscriptionOptions options);

    /** A shared subscription group ($share/group/filter) that matches: the caller picks one member. */
    default void sharedGroup(SharedGroup<S> group) {}
}
