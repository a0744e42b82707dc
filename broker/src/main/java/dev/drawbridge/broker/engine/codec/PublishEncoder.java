package dev.drawbridge.broker.engine.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.jspecify.annotations.Nullable;

/**
 * Encodes outgoing PUBLISH packets (MQTT 3.1.1 section 3.3, MQTT 5 section 3.3) without copying a large payload: the fixed header,
 * topic and packet id go into a small buffer, and a payload above {@value #COPIED_PAYLOAD_MAX} bytes follows as a shared
 * slice of the message's own buffer; a smaller one is copied behind them into one buffer.
 */
public final class PublishEncoder {

    /** No topic alias in the PUBLISH: its topic is written in full. */
    public static final int NO_TOPIC_ALIAS = 0;

    private static final int TOPIC_ALIAS = 0x23;

    /** Payloads up to this many bytes are copied into the packet rather than shared (most of a home broker's are). */
    static final int COPIED_PAYLOAD_MAX = 512;

    private PublishEncoder() {}

    /**
     * A new PUBLISH packet for one delivery, as a buffer the caller owns; a large payload is shared, not copied.
     *
     * @param topic the topic name in UTF-8
     * @param packetId ignored at QoS 0
     */
    public static ByteBuf encode(
            ByteBufAllocator alloc, byte[] topic, ByteBuf payload, int qos, boolean retain, boolean dup, int packetId) {
        int payloadSize = payload.readableBytes();
        int remaining = 2 + topic.length + (qos > 0 ? 2 : 0) + payloadSize;
        int headerSize = 1 + RemainingLength.size(remaining) + 2 + topic.length + (qos > 0 ? 2 : 0);
        ByteBuf header = alloc.buffer(headerSize + copied(payloadSize));
        header.writeByte(0x30 | (dup ? 0x08 : 0) | (qos << 1) | (retain ? 0x01 : 0));
        RemainingLength.write(header, remaining);
        header.writeShort(topic.length);
        header.writeBytes(topic);
        if (qos > 0) {
            header.writeShort(packetId);
        }
        return withPayload(alloc, header, payload, payloadSize);
    }

    /**
     * A new MQTT 5 PUBLISH packet (MQTT 5 section 3.3) for one delivery: this delivery's subscription identifiers, the
     * forwarded properties as encoded once per message, the message expiry interval left, then a topic alias (MQTT 5
     * section 3.3.2.3.4) last among the properties, as Mosquitto 2.1 writes it after the expiry; a large payload is shared.
     * {@code topic} is empty when the alias stands for it.
     *
     * @param expiryInterval the seconds left to the message, or -1 when it never expires
     * @param subscriptionIds the identifiers of the subscriptions it matched, or null for none
     * @param topicAlias 1 to 65,535, or {@link #NO_TOPIC_ALIAS}
     */
    public static ByteBuf encode5(
            ByteBufAllocator alloc,
            byte[] topic,
            ByteBuf payload,
            int qos,
            boolean retain,
            boolean dup,
            int packetId,
            byte[] forwardedProperties,
            long expiryInterval,
            int @Nullable [] subscriptionIds,
            int topicAlias) {
        int properties = propertiesLength(forwardedProperties, expiryInterval, subscriptionIds, topicAlias);
        int payloadSize = payload.readableBytes();
        int variableHeader = 2 + topic.length + (qos > 0 ? 2 : 0) + RemainingLength.size(properties) + properties;
        int remaining = variableHeader + payloadSize;
        ByteBuf header = alloc.buffer(1 + RemainingLength.size(remaining) + variableHeader + copied(payloadSize));
        header.writeByte(0x30 | (dup ? 0x08 : 0) | (qos << 1) | (retain ? 0x01 : 0));
        RemainingLength.write(header, remaining);
        header.writeShort(topic.length);
        header.writeBytes(topic);
        if (qos > 0) {
            header.writeShort(packetId);
        }
        RemainingLength.write(header, properties);
        // In Mosquitto's order: subscription identifiers, the forwarded properties, the expiry left.
        if (subscriptionIds != null) {
            for (int id : subscriptionIds) {
                header.writeByte(MessagePropertyCodec.SUBSCRIPTION_IDENTIFIER);
                RemainingLength.write(header, id);
            }
        }
        header.writeBytes(forwardedProperties);
        if (expiryInterval >= 0) {
            header.writeByte(MessagePropertyCodec.MESSAGE_EXPIRY_INTERVAL).writeInt((int) expiryInterval);
        }
        if (topicAlias != NO_TOPIC_ALIAS) {
            header.writeByte(TOPIC_ALIAS).writeShort(topicAlias);
        }
        return withPayload(alloc, header, payload, payloadSize);
    }

    /**
     * The room to make behind the header for a payload of this size: all of it when it is copied, none when shared.
     */
    private static int copied(int payloadSize) {
        return payloadSize <= COPIED_PAYLOAD_MAX ? payloadSize : 0;
    }

    /**
     * The header followed by the payload: a small payload is copied behind the header (one buffer, one write, cheaper
     * than a composite buffer and a duplicate of the payload), a larger one shared.
     */
    private static ByteBuf withPayload(ByteBufAllocator alloc, ByteBuf header, ByteBuf payload, int payloadSize) {
        if (payloadSize == 0) {
            return header;
        }
        if (payloadSize <= COPIED_PAYLOAD_MAX) {
            return header.writeBytes(payload, payload.readerIndex(), payloadSize); // room made by copied()
        }
        return alloc.compositeBuffer(2).addComponent(true, header).addComponent(true, payload.retainedDuplicate());
    }

    /** The whole size in bytes of the packet {@link #encode5} would make, to hold it against a client's maximum. */
    public static long size5(
            byte[] topic,
            int payloadSize,
            int qos,
            byte[] forwardedProperties,
            long expiryInterval,
            int @Nullable [] subscriptionIds) {
        return size5(topic, payloadSize, qos, forwardedProperties, expiryInterval, subscriptionIds, NO_TOPIC_ALIAS);
    }

    /** The whole size in bytes of the packet the {@link #encode5} with a topic alias would make. */
    public static long size5(
            byte[] topic,
            int payloadSize,
            int qos,
            byte[] forwardedProperties,
            long expiryInterval,
            int @Nullable [] subscriptionIds,
            int topicAlias) {
        int properties = propertiesLength(forwardedProperties, expiryInterval, subscriptionIds, topicAlias);
        long remaining =
                2L + topic.length + (qos > 0 ? 2 : 0) + RemainingLength.size(properties) + properties + payloadSize;
        return 1 + RemainingLength.size((int) Math.min(remaining, Integer.MAX_VALUE)) + remaining;
    }

    private static int propertiesLength(
            byte[] forwarded, long expiryInterval, int @Nullable [] subscriptionIds, int topicAlias) {
        int length = forwarded.length + (expiryInterval >= 0 ? 5 : 0) + (topicAlias != NO_TOPIC_ALIAS ? 3 : 0);
        if (subscriptionIds != null) {
            for (int id : subscriptionIds) {
                length += 1 + RemainingLength.size(id);
            }
        }
        return length;
    }
}
