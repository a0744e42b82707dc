package dev.drawbridge.broker.it.acl;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.drawbridge.broker.it.acl.RawMqttClient.Will;
import java.io.ByteArrayOutputStream;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** MQTT 3.1 / 3.1.1 control packets as bytes (spec section numbers of MQTT 3.1.1). */
final class Packets {

    /** 3.12: PINGREQ, no remaining bytes. */
    static final byte[] PINGREQ = {(byte) 0xc0, 0x00};
    /** 3.13: PINGRESP, no remaining bytes. */
    static final byte[] PINGRESP = {(byte) 0xd0, 0x00};
    /** 3.14: DISCONNECT, no remaining bytes. */
    static final byte[] DISCONNECT = {(byte) 0xe0, 0x00};

    private Packets() {}

    /**
     * 3.1: CONNECT with clean session and keepalive 60. A password without a username sets the password flag alone,
     * which MQTT 3.1.1 forbids (MQTT-3.1.2-22).
     *
     * @param level 3 for MQTT 3.1 ("MQIsdp"), 4 for MQTT 3.1.1 ("MQTT")
     */
    static byte[] connect(
            int level, String clientId, Optional<String> user, Optional<byte[]> password, @Nullable Will will) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, level == 3 ? "MQIsdp" : "MQTT"); // protocol name
        body.write(level); // protocol level
        int flags = 0x02; // clean session
        if (will != null) {
            flags |= 0x04 | (will.qos() << 3) | (will.retain() ? 0x20 : 0); // will flag, will QoS, will retain
        }
        if (user.isPresent()) {
            flags |= 0x80; // username flag
        }
        if (password.isPresent()) {
            flags |= 0x40; // password flag
        }
        body.write(flags);
        body.write(0); // keepalive MSB
        body.write(60); // keepalive LSB: 60 s
        string(body, clientId);
        if (will != null) {
            string(body, will.topic());
            binary(body, will.payload().getBytes(UTF_8));
        }
        user.ifPresent(u -> string(body, u));
        password.ifPresent(p -> binary(body, p));
        return packet(0x10, body.toByteArray());
    }

    /** 3.3: PUBLISH; the packet id is only written at QoS 1 and 2. */
    static byte[] publish(String topic, byte[] payload, int qos, boolean retain, int packetId) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, topic);
        if (qos > 0) {
            id(body, packetId);
        }
        body.writeBytes(payload);
        return packet(0x30 | (qos << 1) | (retain ? 1 : 0), body.toByteArray());
    }

    /** 3.8: SUBSCRIBE of one filter; fixed header flags must be 0010. */
    static byte[] subscribe(int packetId, String filter, int qos) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        id(body, packetId);
        string(body, filter);
        body.write(qos); // requested QoS
        return packet(0x82, body.toByteArray());
    }

    /** 3.10: UNSUBSCRIBE of one filter; fixed header flags must be 0010. */
    static byte[] unsubscribe(int packetId, String filter) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        id(body, packetId);
        string(body, filter);
        return packet(0xa2, body.toByteArray());
    }

    /**
     * 3.4-3.7: PUBACK, PUBREC, PUBREL or PUBCOMP: the type, remaining length 2, the packet id. PUBREL's flags must be
     * 0010.
     */
    static byte[] ack(int type, int packetId) {
        int flags = type == 6 ? 0x02 : 0x00;
        return new byte[] {(byte) ((type << 4) | flags), 0x02, (byte) (packetId >> 8), (byte) packetId};
    }

    /** 3.2: CONNACK with session present 0 and the return code. */
    static byte[] connack(int returnCode) {
        return new byte[] {0x20, 0x02, 0x00, (byte) returnCode};
    }

    private static byte[] packet(int firstByte, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(firstByte);
        int length = body.length; // 2.2.3: remaining length, 7 bits per byte, high bit = more
        do {
            int digit = length % 128;
            length /= 128;
            out.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** 1.5.3: a UTF-8 string with a two-byte big-endian length. */
    private static void string(ByteArrayOutputStream out, String text) {
        binary(out, text.getBytes(UTF_8));
    }

    private static void binary(ByteArrayOutputStream out, byte[] data) {
        out.write(data.length >> 8);
        out.write(data.length & 0xff);
        out.writeBytes(data);
    }

    private static void id(ByteArrayOutputStream out, int packetId) {
        out.write(packetId >> 8);
        out.write(packetId & 0xff);
    }
}
