package dev.drawbridge.broker.engine.session;

import dev.drawbridge.broker.engine.store.EngineStore;
import dev.drawbridge.broker.security.DeliveryPolicy;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * What every session shares.
 *
 * @param policy the READ check, asked again when a queued message is about to be sent
 * @param queueLimits the queue limits now: a reload swaps the whole record, so a session reads one consistent set
 * @param dropped messages not queued because a client's queue was full ({@code $SYS})
 */
public record SessionContext(
        EngineStore store, DeliveryPolicy policy, AtomicReference<QueueLimits> queueLimits, LongAdder dropped) {

    /** The queue limits in force now. */
    public QueueLimits limits() {
        return Objects.requireNonNull(queueLimits.get(), "always set");
    }
}
