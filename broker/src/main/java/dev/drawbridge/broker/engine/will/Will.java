package dev.drawbridge.broker.engine.will;

import dev.drawbridge.broker.engine.message.PublishedMessage;
import dev.drawbridge.broker.engine.message.Publisher;
import io.netty.buffer.Unpooled;
import org.jspecify.annotations.Nullable;

/**
 * The message a client left in its CONNECT, published when its connection ends without a DISCONNECT (a lost socket,
 * a keepalive timeout, a protocol error, a takeover), or with MQTT 5's DISCONNECT 0x04. Whether the client may write it
 * was judged at CONNECT; who may read it is judged per subscriber, as for any message.
 *
 * @param properties MQTT 5 will properties forwarded with it, encoded (payload format, content type, response topic,
 *     correlation data, user properties); empty for MQTT 3.1.1
 * @param expiryInterval its message expiry interval in seconds, -1 for none
 * @param delaySeconds MQTT 5's will delay interval: how long after the connection ends it is published, unless the
 *     client comes back first or the session ends first
 */
public record Will(
        String topic,
        int qos,
        boolean retain,
        byte[] payload,
        byte[] properties,
        long expiryInterval,
        long delaySeconds) {

    public Will {
        payload = payload.clone();
        properties = properties.clone();
    }

    /** An MQTT 3.1.1 will: no properties, no delay. */
    public Will(String topic, int qos, boolean retain, byte[] payload) {
        this(topic, qos, retain, payload, new byte[0], -1, 0);
    }

    /** The will as a message from {@code clientId}; the caller owns the one reference. */
    public PublishedMessage toMessage(String clientId) {
        return toMessage(clientId, null);
    }

    /** The will as a message from {@code clientId}, who is {@code publisher} to the rules; the caller owns it. */
    public PublishedMessage toMessage(String clientId, @Nullable Publisher publisher) {
        long expiresAt = expiryInterval < 0 ? 0 : System.currentTimeMillis() + expiryInterval * 1000;
        return PublishedMessage.of(
                topic,
                qos,
                retain,
                Unpooled.wrappedBuffer(payload.clone()),
                clientId,
                properties,
                expiresAt,
                publisher);
    }
}
