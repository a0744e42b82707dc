package dev.drawbridge.broker.engine.session;

import dev.drawbridge.broker.engine.store.EngineStore;
import dev.drawbridge.broker.security.DeliveryPolicy;
import java.util.concurrent.atomic.LongAdder;

/**
 * What every session shares.
 *
 * @param policy the READ check, asked again when a queued message is about to be sent
 * @param dropped messages not queued because a client's queue was full ({@code $SYS})
 */
public record SessionContext(EngineStore store, DeliveryPolicy policy, QueueLimits limits, LongAdder dropped) {}
