package dev.drawbridge.broker.engine.store;

import dev.drawbridge.broker.engine.message.Publisher;
import dev.drawbridge.broker.engine.store.StoreSnapshot.StoredMessage;
import dev.drawbridge.broker.engine.store.StoreSnapshot.StoredRetained;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The stored form of a message, written straight from its buffer (this runs once per message and subscriber):
 *
 * <pre>
 * owed:     flags (1 byte: QoS in bits 0-1, RETAIN in bit 2, MQTT 5 in bit 3) | topic length (2 bytes) | topic (UTF-8)
 *           | [MQTT 5] | payload
 * retained: QoS (1 byte, MQTT 5 in bit 7, publisher in bit 6) | [publisher] | [MQTT 5] | payload
 * MQTT 5:   expiry (8 bytes: epoch milliseconds, 0 for never) | properties length (4 bytes) | properties
 * publisher: client id length (2 bytes) | client id | username length (2 bytes, 0xFFFF for none) | username
 *           | listener length (2 bytes) | listener (all UTF-8)
 * </pre>
 *
 * A message without MQTT 5 properties or expiry is stored without that part, as before MQTT 5 came; a retained message
 * of the broker's own without the publisher part, as every retained message was before {@code check_retain_source}
 * came (such a record still loads, with no publisher).
 *
 * The packet id an owed message was sent with is kept in a map of its own, so that sending it does not rewrite the
 * payload.
 */
final class MessageRecords {

    private static final int RETAIN = 0b100;
    private static final int OWED_V5 = 0b1000;
    private static final int RETAINED_V5 = 0x80;
    private static final int RETAINED_PUBLISHER = 0x40;
    private static final int NO_USERNAME = 0xFFFF;
    private static final int QOS = 0b11;
    private static final int OWED_HEADER = 3;
    private static final int V5_HEADER = 12;
    private static final byte[] NONE = new byte[0];

    private MessageRecords() {}

    static byte[] owed(String topic, int qos, boolean retain, ByteBuf payload) {
        return owed(topic, qos, retain, payload, NONE, 0);
    }

    static byte[] owed(String topic, int qos, boolean retain, ByteBuf payload, byte[] properties, long expiresAt) {
        checkQos(qos);
        byte[] name = topic.getBytes(StandardCharsets.UTF_8);
        if (name.length > 0xFFFF) {
            throw new IllegalArgumentException("a topic of at most 65535 bytes expected, found " + name.length);
        }
        boolean v5 = properties.length > 0 || expiresAt != 0;
        int length = payload.readableBytes();
        int v5Part = v5 ? V5_HEADER + properties.length : 0;
        byte[] record = new byte[OWED_HEADER + name.length + v5Part + length];
        record[0] = (byte) (qos | (retain ? RETAIN : 0) | (v5 ? OWED_V5 : 0));
        record[1] = (byte) (name.length >>> 8);
        record[2] = (byte) name.length;
        System.arraycopy(name, 0, record, OWED_HEADER, name.length);
        int at = OWED_HEADER + name.length;
        if (v5) {
            at = writeV5(record, at, properties, expiresAt);
        }
        payload.getBytes(payload.readerIndex(), record, at, length);
        return record;
    }

    static StoredMessage owed(long key, byte[] record, int packetId) {
        int topicLength = ((record[1] & 0xFF) << 8) | (record[2] & 0xFF);
        int at = OWED_HEADER + topicLength;
        long expiresAt = 0;
        byte[] properties = NONE;
        if ((record[0] & OWED_V5) != 0) {
            expiresAt = readLong(record, at);
            properties = Arrays.copyOfRange(record, at + V5_HEADER, at + V5_HEADER + readInt(record, at + 8));
            at += V5_HEADER + properties.length;
        }
        return new StoredMessage(
                key,
                new String(record, OWED_HEADER, topicLength, StandardCharsets.UTF_8),
                record[0] & QOS,
                (record[0] & RETAIN) != 0,
                Arrays.copyOfRange(record, at, record.length),
                packetId,
                properties,
                expiresAt);
    }

    /** A delayed will: when it is due (8 bytes), then the message as an owed one. */
    static byte[] delayedWill(
            long dueAt, String topic, int qos, boolean retain, ByteBuf payload, byte[] properties, long expiresAt) {
        byte[] message = owed(topic, qos, retain, payload, properties, expiresAt);
        byte[] record = new byte[8 + message.length];
        for (int i = 0; i < 8; i++) {
            record[i] = (byte) (dueAt >>> (56 - 8 * i));
        }
        System.arraycopy(message, 0, record, 8, message.length);
        return record;
    }

    static StoreSnapshot.StoredWill delayedWill(String clientId, byte[] record) {
        return new StoreSnapshot.StoredWill(
                clientId, owed(0, Arrays.copyOfRange(record, 8, record.length), 0), readLong(record, 0));
    }

    static byte[] retained(int qos, ByteBuf payload) {
        return retained(qos, payload, NONE, 0);
    }

    static byte[] retained(int qos, ByteBuf payload, byte[] properties, long expiresAt) {
        return retained(qos, payload, properties, expiresAt, null);
    }

    static byte[] retained(int qos, ByteBuf payload, byte[] properties, long expiresAt, @Nullable Publisher publisher) {
        checkQos(qos);
        boolean v5 = properties.length > 0 || expiresAt != 0;
        byte[] source = publisher == null ? NONE : publisher(publisher);
        int length = payload.readableBytes();
        byte[] record = new byte[1 + source.length + (v5 ? V5_HEADER + properties.length : 0) + length];
        record[0] = (byte) (qos | (v5 ? RETAINED_V5 : 0) | (publisher != null ? RETAINED_PUBLISHER : 0));
        System.arraycopy(source, 0, record, 1, source.length);
        int at = 1 + source.length;
        at = v5 ? writeV5(record, at, properties, expiresAt) : at;
        payload.getBytes(payload.readerIndex(), record, at, length);
        return record;
    }

    private static byte[] publisher(Publisher publisher) {
        byte[] id = utf8(publisher.clientId());
        byte[] user = publisher.username().map(MessageRecords::utf8).orElse(NONE);
        byte[] listener = utf8(publisher.listener());
        byte[] part = new byte[6 + id.length + user.length + listener.length];
        int at = writeString(part, 0, id);
        if (publisher.username().isPresent()) {
            at = writeString(part, at, user);
        } else {
            part[at++] = (byte) 0xFF;
            part[at++] = (byte) 0xFF;
        }
        writeString(part, at, listener);
        return part;
    }

    private static byte[] utf8(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length >= NO_USERNAME) {
            throw new IllegalArgumentException("a string of at most 65534 bytes expected, found " + bytes.length);
        }
        return bytes;
    }

    private static int writeString(byte[] record, int at, byte[] bytes) {
        record[at] = (byte) (bytes.length >>> 8);
        record[at + 1] = (byte) bytes.length;
        System.arraycopy(bytes, 0, record, at + 2, bytes.length);
        return at + 2 + bytes.length;
    }

    private static int readShort(byte[] record, int at) {
        return ((record[at] & 0xFF) << 8) | (record[at + 1] & 0xFF);
    }

    static StoredRetained retained(String topic, byte[] record) {
        int at = 1;
        Publisher publisher = null;
        if ((record[0] & RETAINED_PUBLISHER) != 0) {
            int idLength = readShort(record, at);
            String id = new String(record, at + 2, idLength, StandardCharsets.UTF_8);
            at += 2 + idLength;
            int userLength = readShort(record, at);
            Optional<String> user = Optional.empty();
            at += 2;
            if (userLength != NO_USERNAME) {
                user = Optional.of(new String(record, at, userLength, StandardCharsets.UTF_8));
                at += userLength;
            }
            int listenerLength = readShort(record, at);
            String listener = new String(record, at + 2, listenerLength, StandardCharsets.UTF_8);
            at += 2 + listenerLength;
            publisher = new Publisher(id, user, listener);
        }
        long expiresAt = 0;
        byte[] properties = NONE;
        if ((record[0] & RETAINED_V5) != 0) {
            expiresAt = readLong(record, at);
            properties = Arrays.copyOfRange(record, at + V5_HEADER, at + V5_HEADER + readInt(record, at + 8));
            at += V5_HEADER + properties.length;
        }
        return new StoredRetained(
                topic,
                record[0] & QOS,
                Arrays.copyOfRange(record, at, record.length),
                properties,
                expiresAt,
                publisher);
    }

    private static int writeV5(byte[] record, int at, byte[] properties, long expiresAt) {
        for (int i = 0; i < 8; i++) {
            record[at + i] = (byte) (expiresAt >>> (56 - 8 * i));
        }
        int length = properties.length;
        for (int i = 0; i < 4; i++) {
            record[at + 8 + i] = (byte) (length >>> (24 - 8 * i));
        }
        System.arraycopy(properties, 0, record, at + V5_HEADER, length);
        return at + V5_HEADER + length;
    }

    private static long readLong(byte[] record, int at) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (record[at + i] & 0xFF);
        }
        return value;
    }

    private static int readInt(byte[] record, int at) {
        return ((record[at] & 0xFF) << 24)
                | ((record[at + 1] & 0xFF) << 16)
                | ((record[at + 2] & 0xFF) << 8)
                | (record[at + 3] & 0xFF);
    }

    private static void checkQos(int qos) {
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("a QoS of 0, 1 or 2 expected, found " + qos);
        }
    }
}
