package dev.drawbridge.broker.engine.watch;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Reads the packets the engine writes to a watch, as an MQTT 5 client would (MQTT 5 sections 3.3 and 3.9): the
 * PUBLISH deliveries and the SUBACK's reason code. The engine wrote them, so they are well formed; anything else is
 * ignored.
 */
final class PublishBytes {

    static final int SUBACK_REFUSED = 0x80;

    private PublishBytes() {}

    /** The PUBLISH in {@code packet}, or null when it is another packet. */
    static @Nullable WatchedMessage publish(ByteBuf packet, int previewBytes) {
        int at = packet.readerIndex();
        int first = packet.getUnsignedByte(at);
        if ((first >> 4) != 3) {
            return null;
        }
        int qos = (first >> 1) & 3;
        boolean retain = (first & 1) != 0;
        at = skipVariableInt(packet, at + 1); // remaining length: the buffer holds exactly one packet
        int topicLength = packet.getUnsignedShort(at);
        String topic = packet.toString(at + 2, topicLength, StandardCharsets.UTF_8);
        at += 2 + topicLength;
        if (qos > 0) {
            at += 2; // packet identifier
        }
        int propertiesLength = variableInt(packet, at);
        at = skipVariableInt(packet, at);
        byte[] properties = new byte[propertiesLength];
        packet.getBytes(at, properties);
        at += propertiesLength;
        int payloadSize = packet.writerIndex() - at;
        byte[] start = new byte[Math.min(payloadSize, previewBytes)];
        packet.getBytes(at, start);
        return new WatchedMessage(topic, qos, retain, payloadSize, start, properties);
    }

    /** The reason code of a SUBACK for one filter, or -1 when {@code packet} is no SUBACK. */
    static int subAckCode(ByteBuf packet) {
        int at = packet.readerIndex();
        if (packet.getUnsignedByte(at) != 0x90) {
            return -1;
        }
        at = skipVariableInt(packet, at + 1) + 2; // remaining length, packet identifier
        at = skipVariableInt(packet, at) + variableInt(packet, at); // properties
        return at < packet.writerIndex() ? packet.getUnsignedByte(at) : -1;
    }

    private static int variableInt(ByteBuf b, int at) {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = b.getUnsignedByte(at + i);
            value |= (digit & 0x7F) << (7 * i);
            if ((digit & 0x80) == 0) {
                break;
            }
        }
        return value;
    }

    private static int skipVariableInt(ByteBuf b, int at) {
        int i = at;
        while ((b.getUnsignedByte(i) & 0x80) != 0) {
            i++;
        }
        return i + 1;
    }
}
