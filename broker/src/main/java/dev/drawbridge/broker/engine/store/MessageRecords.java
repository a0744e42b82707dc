package dev.drawbridge.broker.engine.store;

import dev.drawbridge.broker.engine.store.StoreSnapshot.StoredMessage;
import dev.drawbridge.broker.engine.store.StoreSnapshot.StoredRetained;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The stored form of a message, written straight from its buffer (this runs once per message and subscriber):
 *
 * <pre>
 * owed:     flags (1 byte: QoS in bits 0-1, RETAIN in bit 2) | topic length (2 bytes) | topic (UTF-8) | payload
 * retained: QoS (1 byte) | payload
 * </pre>
 *
 * The packet id an owed message was sent with is kept in a map of its own, so that sending it does not rewrite the
 * payload.
 */
final class MessageRecords {

    private static final int RETAIN = 0b100;
    private static final int QOS = 0b11;
    private static final int OWED_HEADER = 3;

    private MessageRecords() {}

    static byte[] owed(String topic, int qos, boolean retain, ByteBuf payload) {
        checkQos(qos);
        byte[] name = topic.getBytes(StandardCharsets.UTF_8);
        if (name.length > 0xFFFF) {
            throw new IllegalArgumentException("a topic of at most 65535 bytes expected, found " + name.length);
        }
        int length = payload.readableBytes();
        byte[] record = new byte[OWED_HEADER + name.length + length];
        record[0] = (byte) (qos | (retain ? RETAIN : 0));
        record[1] = (byte) (name.length >>> 8);
        record[2] = (byte) name.length;
        System.arraycopy(name, 0, record, OWED_HEADER, name.length);
        payload.getBytes(payload.readerIndex(), record, OWED_HEADER + name.length, length);
        return record;
    }

    static StoredMessage owed(long key, byte[] record, int packetId) {
        int topicLength = ((record[1] & 0xFF) << 8) | (record[2] & 0xFF);
        int payloadStart = OWED_HEADER + topicLength;
        return new StoredMessage(
                key,
                new String(record, OWED_HEADER, topicLength, StandardCharsets.UTF_8),
                record[0] & QOS,
                (record[0] & RETAIN) != 0,
                Arrays.copyOfRange(record, payloadStart, record.length),
                packetId);
    }

    static byte[] retained(int qos, ByteBuf payload) {
        checkQos(qos);
        int length = payload.readableBytes();
        byte[] record = new byte[1 + length];
        record[0] = (byte) qos;
        payload.getBytes(payload.readerIndex(), record, 1, length);
        return record;
    }

    static StoredRetained retained(String topic, byte[] record) {
        return new StoredRetained(topic, record[0], Arrays.copyOfRange(record, 1, record.length));
    }

    private static void checkQos(int qos) {
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("a QoS of 0, 1 or 2 expected, found " + qos);
        }
    }
}
