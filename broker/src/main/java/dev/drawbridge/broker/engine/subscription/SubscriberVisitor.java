package dev.drawbridge.broker.engine.subscription;

/**
 * Visits matches; called on the matching thread; must not block. The calls come during {@link
 * SubscriptionIndex#match}, which holds no lock, so a visitor may subscribe or unsubscribe (that waits for other
 * writers only; the running match may or may not see the change).
 *
 * @param <S> the engine's session type
 */
public interface SubscriberVisitor<S> {

    /** A normal subscription that matches; a subscriber matching several filters comes once per filter. */
    void subscriber(S subscriber, SubscriptionOptions options);

    /** A shared subscription group ($share/group/filter) that matches: the caller picks one member. */
    default void sharedGroup(SharedGroup<S> group) {}
}
