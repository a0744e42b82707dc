package dev.drawbridge.broker.engine.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Encodes outgoing PUBLISH packets (MQTT 3.1.1 section 3.3) without copying the payload: the fixed header, topic and
 * packet id go into a small buffer, and the payload follows as a shared slice of the message's own buffer.
 */
public final class PublishEncoder {

    private PublishEncoder() {}

    /**
     * A new PUBLISH packet for one delivery, as a buffer the caller owns; the payload is shared, not copied.
     *
     * @param topic the topic name in UTF-8
     * @param packetId ignored at QoS 0
     */
    public static ByteBuf encode(
            ByteBufAllocator alloc, byte[] topic, ByteBuf payload, int qos, boolean retain, boolean dup, int packetId) {
        int payloadSize = payload.readableBytes();
        int remaining = 2 + topic.length + (qos > 0 ? 2 : 0) + payloadSize;
        int headerSize = 1 + RemainingLength.size(remaining) + 2 + topic.length + (qos > 0 ? 2 : 0);
        ByteBuf header = alloc.buffer(headerSize);
        header.writeByte(0x30 | (dup ? 0x08 : 0) | (qos << 1) | (retain ? 0x01 : 0));
        RemainingLength.write(header, remaining);
        header.writeShort(topic.length);
        header.writeBytes(topic);
        if (qos > 0) {
            header.writeShort(packetId);
        }
        if (payloadSize == 0) {
            return header;
        }
        return alloc.compositeBuffer(2).addComponent(true, header).addComponent(true, payload.retainedDuplicate());
    }
}
