package dev.drawbridge.broker.net;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Remembers which outgoing PUBLISHes are retained messages sent because of a SUBSCRIBE, so that they leave with
 * RETAIN=1 at every QoS (MQTT 3.1.1 section 3.3.1.3). The MQTT core drops that flag at QoS 1 and 2; the core's
 * retained hook announces each message here and the connection's front handler sets the flag when it goes out.
 */
public final class RetainedDeliveries {

    private record Expected(String topic, ByteBuffer payload) {}

    private final Map<String, Queue<Expected>> byClient = new ConcurrentHashMap<>();

    /** Announces that {@code clientId} is about to receive this retained message. */
    public void expect(String clientId, String topic, byte[] payload) {
        byClient.computeIfAbsent(clientId, id -> new ConcurrentLinkedQueue<>())
                .add(new Expected(topic, ByteBuffer.wrap(payload.clone())));
    }

    /** True (once) when this outgoing message is an announced retained message for the client. */
    boolean consume(String clientId, String topic, ByteBuf payload) {
        Queue<Expected> queue = byClient.get(clientId);
        if (queue == null || queue.isEmpty()) {
            return false;
        }
        ByteBuffer actual = payload.nioBuffer();
        for (Expected expected : queue) {
            if (expected.topic().equals(topic) && expected.payload().equals(actual)) {
                return queue.remove(expected);
            }
        }
        return false;
    }

    /** Forgets what a client that has gone was about to receive. */
    void forget(String clientId) {
        byClient.remove(clientId);
    }
}
