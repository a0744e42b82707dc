package dev.drawbridge.broker.it.acl;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.drawbridge.broker.it.acl.RawMqttClient.Will;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * MQTT 3.1 / 3.1.1 control packets as bytes (spec section numbers of MQTT 3.1.1), and their MQTT 5 forms (section
 * numbers of MQTT 5.0), which add a property length (here always 0 but for user properties) and reason codes.
 */
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
     * @param level 3 for MQTT 3.1 ("MQIsdp"), 4 for MQTT 3.1.1 ("MQTT"), 5 for MQTT 5 ("MQTT", clean start, session
     *     expiry 0: the session ends with the connection, as a clean session does)
     */
    static byte[] connect(
            int level, String clientId, Optional<String> user, Optional<byte[]> password, @Nullable Will will) {
        return connect(level, new byte[0], clientId, user, password, will);
    }

    /** The same MQTT 5 CONNECT with these CONNECT properties (fewer than 128 bytes of them). */
    static byte[] connect5(byte[] properties, String clientId, Optional<String> user, Optional<byte[]> password) {
        return connect(5, properties, clientId, user, password, null);
    }

    private static byte[] connect(
            int level,
            byte[] properties,
            String clientId,
            Optional<String> user,
            Optional<byte[]> password,
            @Nullable Will will) {
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
        if (level == 5) {
            body.write(properties.length); // MQTT 5 3.1.2.11: property length
            body.writeBytes(properties);
        }
        string(body, clientId);
        if (will != null) {
            if (level == 5) {
                body.write(0); // MQTT 5 3.1.3.2: will property length 0
            }
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

    /**
     * MQTT 5 3.3: PUBLISH with a property length and the given user properties (0x26, key and value as UTF-8 strings),
     * in order; the packet id is only written at QoS 1 and 2.
     */
    static byte[] publish5(
            String topic, byte[] payload, int qos, boolean retain, int packetId, List<Map.Entry<String, String>> user) {
        ByteArrayOutputStream properties = new ByteArrayOutputStream();
        for (Map.Entry<String, String> property : user) {
            properties.write(0x26); // user property
            string(properties, property.getKey());
            string(properties, property.getValue());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, topic);
        if (qos > 0) {
            id(body, packetId);
        }
        variableInt(body, properties.size()); // property length
        body.writeBytes(properties.toByteArray());
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

    /**
     * MQTT 5 3.8: SUBSCRIBE of one filter with property length 0; the options byte holds the maximum QoS in its low
     * bits (no local, retain as published and retain handling 0).
     */
    static byte[] subscribe5(int packetId, String filter, int qos) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        id(body, packetId);
        body.write(0); // property length 0
        string(body, filter);
        body.write(qos); // subscription options
        return packet(0x82, body.toByteArray());
    }

    /** MQTT 5 3.10: UNSUBSCRIBE of one filter with property length 0. */
    static byte[] unsubscribe5(int packetId, String filter) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        id(body, packetId);
        body.write(0); // property length 0
        string(body, filter);
        return packet(0xa2, body.toByteArray());
    }

    /**
     * MQTT 5 3.4-3.7: PUBACK, PUBREC, PUBREL or PUBCOMP as Mosquitto sends it: the packet id alone (remaining length 2)
     * for reason code 0x00, else the packet id and the reason code with no property length (remaining length 3).
     */
    static byte[] ack5(int type, int packetId, int reasonCode) {
        if (reasonCode == 0) {
            return ack(type, packetId);
        }
        int flags = type == 6 ? 0x02 : 0x00;
        return new byte[] {
            (byte) ((type << 4) | flags), 0x03, (byte) (packetId >> 8), (byte) packetId, (byte) reasonCode
        };
    }

    /** MQTT 5 3.9: SUBACK for one filter with property length 0 and its reason code. */
    static byte[] suback5(int packetId, int reasonCode) {
        return new byte[] {(byte) 0x90, 0x04, (byte) (packetId >> 8), (byte) packetId, 0x00, (byte) reasonCode};
    }

    /** MQTT 5 3.2: a refusing CONNACK as Mosquitto sends it: session present 0, the reason code, property length 0. */
    static byte[] connack5Refused(int reasonCode) {
        return new byte[] {0x20, 0x03, 0x00, (byte) reasonCode, 0x00};
    }

    /**
     * The refusing MQTT 5 CONNACK Drawbridge sends: Mosquitto 2.0.11's ({@link #connack5Refused}) with the reason string
     * (0x1F) of its code as its one property (README, "Differences from Mosquitto").
     */
    static byte[] connack5Refused(int reasonCode, String reasonString) {
        byte[] text = reasonString.getBytes(StandardCharsets.UTF_8);
        int properties = 3 + text.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x20);
        out.write(2 + 1 + properties); // flags, reason code, property length (one byte here), properties
        out.write(0x00);
        out.write(reasonCode);
        out.write(properties);
        out.write(0x1F);
        out.write(text.length >> 8);
        out.write(text.length & 0xFF);
        out.writeBytes(text);
        return out.toByteArray();
    }

    /**
     * MQTT 5 3.2: the accepting CONNACK Mosquitto 2.0.11 sends a client that asked for nothing: session present 0,
     * reason code 0, properties topic alias maximum (0x22) 10 and receive maximum (0x21) 20.
     */
    static byte[] connack5Accepted() {
        return new byte[] {0x20, 0x09, 0x00, 0x00, 0x06, 0x22, 0x00, 0x0a, 0x21, 0x00, 0x14};
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

    /** MQTT 5 1.5.5: a variable byte integer, 7 bits per byte, high bit = more. */
    private static void variableInt(ByteArrayOutputStream out, int value) {
        int rest = value;
        do {
            int digit = rest % 128;
            rest /= 128;
            out.write(rest > 0 ? digit | 0x80 : digit);
        } while (rest > 0);
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
