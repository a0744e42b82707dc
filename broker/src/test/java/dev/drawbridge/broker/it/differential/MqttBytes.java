package dev.drawbridge.broker.it.differential;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.util.Optional;

/**
 * MQTT 3.1 / 3.1.1 packets for tests that drive a raw connection from Java rather than from a script: each method
 * builds one well-formed packet (or, through its arguments, a deliberately wrong one) and returns its bytes.
 */
public final class MqttBytes {

    public static final byte[] PINGREQ = {(byte) 0xc0, 0};
    public static final byte[] DISCONNECT = {(byte) 0xe0, 0};

    /** What a CONNECT carries; {@link #mqtt311(String)} and the {@code with*} methods make the usual ones. */
    public record Connect(
            String protocolName,
            int level,
            String clientId,
            boolean cleanSession,
            Optional<Will> will,
            int keepaliveSeconds) {

        public static Connect mqtt311(String clientId) {
            return new Connect("MQTT", 4, clientId, true, Optional.empty(), 60);
        }

        public static Connect mqtt31(String clientId) {
            return new Connect("MQIsdp", 3, clientId, true, Optional.empty(), 60);
        }

        public Connect persistent() {
            return new Connect(protocolName, level, clientId, false, will, keepaliveSeconds);
        }

        public Connect withProtocol(String name, int protocolLevel) {
            return new Connect(name, protocolLevel, clientId, cleanSession, will, keepaliveSeconds);
        }

        public Connect withWill(Will w) {
            return new Connect(protocolName, level, clientId, cleanSession, Optional.of(w), keepaliveSeconds);
        }

        public Connect withKeepalive(int seconds) {
            return new Connect(protocolName, level, clientId, cleanSession, will, seconds);
        }

        public byte[] bytes() {
            int flags = (cleanSession ? 0x02 : 0)
                    | will.map(w -> 0x04 | (w.qos() << 3) | (w.retain() ? 0x20 : 0))
                            .orElse(0);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes(text(protocolName));
            body.write(level);
            body.write(flags);
            body.writeBytes(u16(keepaliveSeconds));
            body.writeBytes(text(clientId));
            will.ifPresent(w -> {
                body.writeBytes(text(w.topic()));
                body.writeBytes(u16(w.payload().length));
                body.writeBytes(w.payload());
            });
            return packet(0x10, body.toByteArray());
        }
    }

    /** A will message. */
    public record Will(String topic, byte[] payload, int qos, boolean retain) {
        public Will {
            payload = payload.clone();
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }
    }

    private MqttBytes() {}

    public static byte[] subscribe(int packetId, String filter, int qos) {
        return packet(0x82, concat(u16(packetId), text(filter), new byte[] {(byte) qos}));
    }

    public static byte[] unsubscribe(int packetId, String filter) {
        return packet(0xa2, concat(u16(packetId), text(filter)));
    }

    /** PUBLISH; the packet id is written only for QoS 1 and 2. */
    public static byte[] publish(String topic, String payload, int qos, int packetId, boolean retain, boolean dup) {
        int first = 0x30 | (dup ? 0x08 : 0) | (qos << 1) | (retain ? 1 : 0);
        byte[] id = qos > 0 ? u16(packetId) : new byte[0];
        return packet(first, concat(text(topic), id, payload.getBytes(UTF_8)));
    }

    public static byte[] puback(int packetId) {
        return packet(0x40, u16(packetId));
    }

    public static byte[] pubrec(int packetId) {
        return packet(0x50, u16(packetId));
    }

    public static byte[] pubrel(int packetId) {
        return packet(0x62, u16(packetId));
    }

    public static byte[] pubcomp(int packetId) {
        return packet(0x70, u16(packetId));
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] packet(int first, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 5);
        out.write(first);
        int remaining = body.length;
        do {
            int digit = remaining & 0x7f;
            remaining >>>= 7;
            out.write(remaining > 0 ? digit | 0x80 : digit);
        } while (remaining > 0);
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static byte[] text(String value) {
        byte[] utf8 = value.getBytes(UTF_8);
        return concat(u16(utf8.length), utf8);
    }

    private static byte[] u16(int value) {
        return new byte[] {(byte) (value >> 8), (byte) value};
    }
}
