package dev.drawbridge.broker.engine.session;

/**
 * How much one session may hold for its client.
 *
 * @param maxInflight QoS 1/2 messages sent and not yet acknowledged ({@code max_inflight_messages}); 0 for no limit
 * @param maxQueuedMessages messages waiting beyond that ({@code max_queued_messages}); 0 for no limit
 * @param maxQueuedBytes their payload bytes ({@code max_queued_bytes}); 0 for no limit
 */
public record QueueLimits(int maxInflight, int maxQueuedMessages, long maxQueuedBytes) {

    public QueueLimits {
        if (maxInflight < 0 || maxQueuedMessages < 0 || maxQueuedBytes < 0) {
            throw new IllegalArgumentException("queue limits must not be negative");
        }
    }

    boolean full(int queuedMessages, long queuedBytes, int nextBytes) {
        return (maxQueuedMessages > 0 && queuedMessages >= maxQueuedMessages)
                || (maxQueuedBytes > 0 && queuedBytes + nextBytes > maxQueuedBytes);
    }

    int window() {
        return maxInflight == 0 ? 65_535 : Math.min(maxInflight, 65_535);
    }
}
