package dev.drawbridge.broker.engine.subscription;

import java.util.Arrays;

/**
 * Subscribers and their options on one filter, never changed once built: writers publish a new list, so readers on
 * the event loops walk two arrays that always agree. Copy-on-write costs O(n) per subscribe on a filter with n
 * subscribers, which is fine for the tens to thousands one filter gets in a home or a building.
 */
final class SubscriberList<S> {

    private static final SubscriberList<?> EMPTY = new SubscriberList<>(new Object[0], new SubscriptionOptions[0]);

    private final Object[] subscribers;
    private final SubscriptionOptions[] options;

    private SubscriberList(Object[] subscribers, SubscriptionOptions[] options) {
        this.subscribers = subscribers;
        this.options = options;
    }

    @SuppressWarnings("unchecked")
    static <S> SubscriberList<S> empty() {
        return (SubscriberList<S>) EMPTY;
    }

    int size() {
        return subscribers.length;
    }

    @SuppressWarnings("unchecked")
    S subscriber(int i) {
        return (S) subscribers[i];
    }

    SubscriptionOptions options(int i) {
        return options[i];
    }

    /** The index of this very subscriber (identity), or -1. */
    int indexOf(Object subscriber) {
        for (int i = 0; i < subscribers.length; i++) {
            if (subscribers[i] == subscriber) {
                return i;
            }
        }
        return -1;
    }

    void visit(SubscriberVisitor<S> visitor) {
        for (int i = 0; i < subscribers.length; i++) {
            visitor.subscriber(subscriber(i), options[i]);
        }
    }

    /** This list with the subscriber added at the end, or its options replaced where it is already. */
    SubscriberList<S> with(S subscriber, SubscriptionOptions subscriberOptions) {
        int i = indexOf(subscriber);
        if (i >= 0) {
            SubscriptionOptions[] replaced = options.clone();
            replaced[i] = subscriberOptions;
            return new SubscriberList<>(subscribers, replaced);
        }
        Object[] moreSubscribers = Arrays.copyOf(subscribers, subscribers.length + 1);
        SubscriptionOptions[] moreOptions = Arrays.copyOf(options, options.length + 1);
        moreSubscribers[subscribers.length] = subscriber;
        moreOptions[options.length] = subscriberOptions;
        return new SubscriberList<>(moreSubscribers, moreOptions);
    }

    /** This list without the subscriber at {@code i}. */
    SubscriberList<S> without(int i) {
        if (subscribers.length == 1) {
            return empty();
        }
        Object[] fewerSubscribers = new Object[subscribers.length - 1];
        SubscriptionOptions[] fewerOptions = new SubscriptionOptions[options.length - 1];
        System.arraycopy(subscribers, 0, fewerSubscribers, 0, i);
        System.arraycopy(subscribers, i + 1, fewerSubscribers, i, subscribers.length - i - 1);
        System.arraycopy(options, 0, fewerOptions, 0, i);
        System.arraycopy(options, i + 1, fewerOptions, i, options.length - i - 1);
        return new SubscriberList<>(fewerSubscribers, fewerOptions);
    }
}
