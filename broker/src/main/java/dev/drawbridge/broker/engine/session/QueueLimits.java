package dev.drawbridge.broker.engine.session;

import org.jspecify.annotations.Nullable;

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

    /**
     * The limit a queue of this size has reached, as the log names it, or null while it may take one more message
     * (queued while below both limits, as in Mosquitto: the bytes may pass theirs by one message).
     */
    @Nullable
    String reached(int queuedMessages, long queuedBytes) {
        if (maxQueuedMessages > 0 && queuedMessages >= maxQueuedMessages) {
            return "max_queued_messages " + maxQueuedMessages;
        }
        if (maxQueuedBytes > 0 && queuedBytes >= maxQueuedBytes) {
            return "max_queued_bytes " + maxQueuedBytes;
        }
        return null;
    }

    public int window() {
        return maxInflight == 0 ? 65_535 : Math.min(maxInflight, 65_535);
    }
}
