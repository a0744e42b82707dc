package dev.drawbridge.broker.engine.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttProperties;
import java.nio.charset.StandardCharsets;

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
        for (Object user : properties.getProperties(USER_PROPERTY)) {
            if (user instanceof MqttProperties.UserProperty pair) {
                writeUser(out, pair.value().key, pair.value().value);
            } else if (user instanceof MqttProperties.UserProperties list) {
                for (MqttProperties.StringPair p : list.value()) {
                    writeUser(out, p.key, p.value);
                }
            }
        }
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        return bytes;
    }

    /** The message expiry interval of a PUBLISH in seconds, or -1 when it has none (it never expires). */
    public static long expiryInterval(MqttProperties properties) {
        MqttProperties.MqttProperty<?> expiry = properties.getProperty(MESSAGE_EXPIRY_INTERVAL);
        return expiry instanceof MqttProperties.IntegerProperty p ? Integer.toUnsignedLong(p.value()) : -1;
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
