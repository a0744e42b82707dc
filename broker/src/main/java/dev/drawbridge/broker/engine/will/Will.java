package dev.drawbridge.broker.engine.will;

import dev.drawbridge.broker.engine.message.PublishedMessage;
import io.netty.buffer.Unpooled;

/**
 * The message a client left in its CONNECT, published when its connection ends without a DISCONNECT (a lost socket,
 * a keepalive timeout, a protocol error, a takeover). Whether the client may write it was judged at CONNECT; who may
 * read it is judged per subscriber, as for any message.
 */
public record Will(String topic, int qos, boolean retain, byte[] payload) {

    public Will {
        payload = payload.clone();
    }

    /** The will as a message from {@code clientId}; the caller owns the one reference. */
    public PublishedMessage toMessage(String clientId) {
        return PublishedMessage.of(topic, qos, retain, Unpooled.wrappedBuffer(payload.clone()), clientId);
    }
}
