package dev.drawbridge.broker.engine.codec;

import dev.drawbridge.acl.spi.UserProperty;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttProperties;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The MQTT 5 properties a PUBLISH carries from its publisher to every subscriber unchanged (MQTT 5 section 3.3.2.3):
 * payload format indicator, content type, response topic, correlation data and user properties, the user properties in
 * the order they came. They are encoded once per message, as the bytes of a property list without its length, and
 * copied into each MQTT 5 delivery; the message expiry interval and subscription identifiers differ per delivery and are
 * written there.
 */
public final class MessagePropertyCodec {

    static final int PAYLOAD_FORMAT_INDICATOR = 0x01;
    static final int MESSAGE_EXPIRY_INTERVAL = 0x02;
    static final int CONTENT_TYPE = 0x03;
    static final int RESPONSE_TOPIC = 0x08;
    static final int CORRELATION_DATA = 0x09;
    static final int SUBSCRIPTION_IDENTIFIER = 0x0B;
    static final int USER_PROPERTY = 0x26;

    private static final byte[] NONE = new byte[0];

    private MessagePropertyCodec() {}

    /** The forwarded properties of a PUBLISH as decoded, encoded; an empty array when it has none. */
    public static byte[] forwarded(MqttProperties properties) {
        if (properties.isEmpty()) {
            return NONE;
        }
        ByteBuf out = Unpooled.buffer(64);
        MqttProperties.MqttProperty<?> format = properties.getProperty(PAYLOAD_FORMAT_INDICATOR);
        if (format instanceof MqttProperties.IntegerProperty p) {
            out.writeByte(PAYLOAD_FORMAT_INDICATOR).writeByte(p.value());
        }
        writeString(out, CONTENT_TYPE, properties.getProperty(CONTENT_TYPE));
        writeString(out, RESPONSE_TOPIC, properties.getProperty(RESPONSE_TOPIC));
        MqttProperties.MqttProperty<?> correlation = properties.getProperty(CORRELATION_DATA);
        if (correlation instanceof MqttProperties.BinaryProperty p) {
            out.writeByte(CORRELATION_DATA).writeShort(p.value().length).writeBytes(p.value());
        }
        forEachUserProperty(properties, (key, value) -> writeUser(out, key, value));
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        return bytes;
    }

    /**
     * The user properties of a decoded PUBLISH or will as the plugin SPI shows them (no Netty type leaves here), in the
     * order the client sent them; an empty list when there are none (MQTT 3.1.1).
     */
    public static List<UserProperty> userProperties(MqttProperties properties) {
        if (properties.isEmpty()) {
            return List.of();
        }
        List<UserProperty> pairs = new ArrayList<>();
        forEachUserProperty(properties, (key, value) -> pairs.add(new UserProperty(key, value)));
        return List.copyOf(pairs);
    }

    /** Netty's decoder keeps each user property as it came; a built message may hold them as one list. */
    private static void forEachUserProperty(MqttProperties properties, BiConsumer<String, String> pair) {
        for (Object user : properties.getProperties(USER_PROPERTY)) {
            if (user instanceof MqttProperties.UserProperty one) {
                pair.accept(one.value().key, one.value().value);
            } else if (user instanceof MqttProperties.UserProperties list) {
                for (MqttProperties.StringPair p : list.value()) {
                    pair.accept(p.key, p.value);
                }
            }
        }
    }

    /** The message expiry interval of a PUBLISH in seconds, or -1 when it has none (it never expires). */
    public static long expiryInterval(MqttProperties properties) {
        return unsigned(properties, MESSAGE_EXPIRY_INTERVAL, -1);
    }

    /**
     * An integer property of any packet as decoded, read unsigned (MQTT 5 section 1.5: four and two byte integers are
     * unsigned), or {@code absent} when it is not there. The one place the engine reads a property's integer.
     */
    public static long unsigned(MqttProperties properties, int id, long absent) {
        MqttProperties.MqttProperty<?> p = properties.getProperty(id);
        return p instanceof MqttProperties.IntegerProperty i ? Integer.toUnsignedLong(i.value()) : absent;
    }

    /**
     * Forwarded properties with subscription identifiers after them, as one delivery's properties are stored: {@link
     * #splitSubscriptionIds} takes them apart again.
     */
    public static byte[] withSubscriptionIds(byte[] forwarded, int[] subscriptionIds) {
        ByteBuf out = Unpooled.buffer(forwarded.length + 5 * subscriptionIds.length);
        out.writeBytes(forwarded);
        for (int id : subscriptionIds) {
            out.writeByte(SUBSCRIPTION_IDENTIFIER);
            RemainingLength.write(out, id);
        }
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        return bytes;
    }

    /** One delivery's stored properties, taken apart: what is forwarded, and the subscription identifiers (or null). */
    public record Split(byte[] forwarded, int @Nullable [] subscriptionIds) {}

    /** Takes apart what {@link #withSubscriptionIds} put together (or forwarded properties alone). */
    public static Split splitSubscriptionIds(byte[] properties) {
        int at = 0;
        while (at < properties.length) {
            int id = properties[at] & 0xFF;
            if (id == SUBSCRIPTION_IDENTIFIER) {
                break;
            }
            at += 1 + valueLength(properties, at + 1, id);
        }
        if (at >= properties.length) {
            return new Split(properties, null);
        }
        byte[] forwarded = Arrays.copyOf(properties, at);
        List<Integer> ids = new ArrayList<>();
        while (at < properties.length) {
            at++; // the identifier byte 0x0B
            int value = 0;
            int shift = 0;
            int digit;
            do {
                digit = properties[at++] & 0xFF;
                value |= (digit & 0x7F) << shift;
                shift += 7;
            } while ((digit & 0x80) != 0);
            ids.add(value);
        }
        return new Split(forwarded, ids.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The length of a forwarded property's value starting at {@code at}. */
    private static int valueLength(byte[] p, int at, int id) {
        return switch (id) {
            case PAYLOAD_FORMAT_INDICATOR -> 1;
            case CONTENT_TYPE, RESPONSE_TOPIC, CORRELATION_DATA -> 2 + u16(p, at);
            case USER_PROPERTY -> {
                int key = 2 + u16(p, at);
                yield key + 2 + u16(p, at + key);
            }
            default -> throw new IllegalArgumentException("not a forwarded property: 0x" + Integer.toHexString(id));
        };
    }

    private static int u16(byte[] p, int at) {
        return ((p[at] & 0xFF) << 8) | (p[at + 1] & 0xFF);
    }

    private static void writeString(ByteBuf out, int id, MqttProperties.MqttProperty<?> property) {
        if (property instanceof MqttProperties.StringProperty p) {
            out.writeByte(id);
            writeUtf8(out, p.value());
        }
    }

    private static void writeUser(ByteBuf out, String key, String value) {
        out.writeByte(USER_PROPERTY);
        writeUtf8(out, key);
        writeUtf8(out, value);
    }

    private static void writeUtf8(ByteBuf out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeShort(bytes.length).writeBytes(bytes);
    }
}
