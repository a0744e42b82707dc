package dev.drawbridge.broker.bridge;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The CONNECT a bridge sends to the remote broker, as Mosquitto's {@code lib/send_connect.c} writes it for a bridge:
 * the remote client id and credentials, the clean session flag, the keepalive, and with notifications (unless local
 * only) a will "0", retained at QoS 1 on the notification topic, so the remote broker learns of a cut. With {@code
 * try_private} an MQTT 3.1 or 3.1.1 CONNECT sets bit 0x80 of the protocol level, which tells a Mosquitto (or a
 * Drawbridge) that a bridge connects. Netty's encoder refuses that level, so MQTT 3.x CONNECTs are written here byte by
 * byte; MQTT 5 ones (which have no such bit) go through Netty's encoder, which also tells its decoder to read MQTT 5.
 *
 * @param will the notification topic, when the remote gets the will
 */
record RemoteConnect(
        BridgeConfig.ProtocolVersion version,
        boolean bridgeBit,
        String clientId,
        boolean cleanSession,
        int keepaliveSeconds,
        BridgeConfig.Credentials credentials,
        Optional<String> will) {

    private static final int CONNECT = 0x10;

    /** The packet for the remote channel: an encoded buffer (MQTT 3.x) or a codec message (MQTT 5). */
    Object packet(ByteBufAllocator alloc) {
        return version == BridgeConfig.ProtocolVersion.MQTT_5 ? connect5() : connect3(alloc);
    }

    private Object connect5() {
        MqttProperties properties = new MqttProperties();
        if (!cleanSession) {
            // The remote keeps the session as an MQTT 3.1.1 broker would for cleansession false: until it expires.
            properties.add(new MqttProperties.IntegerProperty(0x11, 0xFFFF_FFFF));
        }
        var builder = MqttMessageBuilders.connect()
                .protocolVersion(MqttVersion.MQTT_5)
                .clientId(clientId)
                .cleanSession(cleanSession)
                .keepAlive(keepaliveSeconds)
                .properties(properties);
        credentials.username().ifPresent(u -> builder.hasUser(true).username(u));
        credentials.password().ifPresent(p -> builder.hasPassword(true).password(p.getBytes(StandardCharsets.UTF_8)));
        will.ifPresent(topic -> builder.willFlag(true)
                .willTopic(topic)
                .willMessage(new byte[] {'0'})
                .willQoS(MqttQoS.AT_LEAST_ONCE)
                .willRetain(true)
                .willProperties(MqttProperties.NO_PROPERTIES));
        return builder.build();
    }

    private ByteBuf connect3(ByteBufAllocator alloc) {
        boolean v31 = version == BridgeConfig.ProtocolVersion.MQTT_3_1;
        byte[] name = (v31 ? "MQIsdp" : "MQTT").getBytes(StandardCharsets.UTF_8);
        int level = (v31 ? 3 : 4) | (bridgeBit ? 0x80 : 0);
        int flags = cleanSession ? 0x02 : 0;
        if (will.isPresent()) {
            flags |= 0x04 | (1 << 3) | 0x20; // will, QoS 1, retained
        }
        // MQTT 3.1.1 allows a password only with a username (MQTT-3.1.2-22); the parser requires both together.
        if (credentials.username().isPresent()) {
            flags |= 0x80;
            if (credentials.password().isPresent()) {
                flags |= 0x40;
            }
        }
        ByteBuf body = alloc.buffer();
        try {
            body.writeShort(name.length).writeBytes(name);
            body.writeByte(level).writeByte(flags).writeShort(keepaliveSeconds);
            string(body, clientId.getBytes(StandardCharsets.UTF_8));
            if (will.isPresent()) {
                string(body, will.get().getBytes(StandardCharsets.UTF_8));
                string(body, new byte[] {'0'});
            }
            if (credentials.username().isPresent()) {
                string(body, credentials.username().get().getBytes(StandardCharsets.UTF_8));
                if (credentials.password().isPresent()) {
                    string(body, credentials.password().get().getBytes(StandardCharsets.UTF_8));
                }
            }
            ByteBuf packet = alloc.buffer(body.readableBytes() + 5);
            packet.writeByte(CONNECT);
            int length = body.readableBytes();
            do {
                int digit = length % 128;
                length /= 128;
                packet.writeByte(length > 0 ? digit | 0x80 : digit);
            } while (length > 0);
            return packet.writeBytes(body);
        } finally {
            body.release();
        }
    }

    private static void string(ByteBuf out, byte[] value) {
        out.writeShort(value.length).writeBytes(value);
    }

    @Override
    public String toString() {
        // The password never reaches a log.
        return "RemoteConnect[" + version.word() + ", clientId=" + clientId + ", bridgeBit=" + bridgeBit
                + ", cleanSession=" + cleanSession + ", credentials=" + credentials + "]";
    }
}
