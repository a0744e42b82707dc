package io.moquette.broker;

import io.moquette.persistence.MemorySessionsRepository;
import io.moquette.persistence.MemorySubscriptionsRepository;

/**
 * The four stores Moquette's core reads and writes: sessions, subscriptions, queued messages and retained messages.
 * Built by {@code dev.drawbridge.broker.moquette.store}, or all in memory.
 */
public record Repositories(
        ISessionsRepository sessions,
        ISubscriptionsRepository subscriptions,
        IQueueRepository queues,
        IRetainedRepository retained) {

    /** A broker that forgets everything when it stops. */
    public static Repositories inMemory() {
        return new Repositories(
                new MemorySessionsRepository(),
                new MemorySubscriptionsRepository(),
                new MemoryQueueRepository(),
                new MemoryRetainedRepository());
    }
}
