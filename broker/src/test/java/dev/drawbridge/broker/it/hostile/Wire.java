package dev.drawbridge.broker.it.hostile;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * MQTT 3.1.1 bytes for the hostile-input tests: hex written with a {@code #} comment per field, the few well-formed
 * packets the tests send around the hostile ones, and a decoder that names a packet's fields for failure messages.
 */
final class Wire {

    private static final HexFormat HEX = HexFormat.of();

    /** PINGREQ (type 12, flags 0, remaining length 0). */
    static final byte[] PINGREQ = bytes("c0 00");

    /** PINGRESP (type 13, remaining length 0). */
    static final byte[] PINGRESP = bytes("d0 00");

    /** CONNACK, session present 0, return code 0 (accepted). */
    static final byte[] CONNACK_ACCEPTED = bytes("20 02 00 00");

    /** DISCONNECT. */
    static final byte[] DISCONNECT = bytes("e0 00");

    private Wire() {}

    /** Parses hex with whitespace and {@code # comment} to the end of each line. */
    static byte[] bytes(String hexWithComments) {
        StringBuilder digits = new StringBuilder();
        for (String line : hexWithComments.split("\n", -1)) {
            int hash = line.indexOf('#');
            String data = hash >= 0 ? line.substring(0, hash) : line;
            digits.append(data.replaceAll("\\s+", ""));
        }
        return HEX.parseHex(digits);
    }

    static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static byte[] repeat(byte[] part, int times) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(part.length * times);
        for (int i = 0; i < times; i++) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** The variable-length Remaining Length encoding of MQTT 3.1.1 section 2.2.3. */
    static byte[] remainingLength(int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4);
        int x = length;
        do {
            int digit = x % 128;
            x /= 128;
            out.write(x > 0 ? digit | 0x80 : digit);
        } while (x > 0);
        return out.toByteArray();
    }

    /** A fixed header (first byte, remaining length) followed by the body. */
    static byte[] packet(int firstByte, byte[] body) {
        return concat(new byte[] {(byte) firstByte}, remainingLength(body.length), body);
    }

    /** A two-byte big-endian length followed by the bytes (MQTT 3.1.1 section 1.5.3). */
    static byte[] lengthPrefixed(byte[] data) {
        return concat(new byte[] {(byte) (data.length >> 8), (byte) data.length}, data);
    }

    static byte[] utf8(String text) {
        return lengthPrefixed(text.getBytes(UTF_8));
    }

    static byte[] u16(int value) {
        return new byte[] {(byte) (value >> 8), (byte) value};
    }

    /** CONNECT, protocol "MQTT" level 4, clean session, keepalive 60, the client id, optional username and password. */
    static byte[] connect(String clientId, Optional<String> username, Optional<String> password) {
        int flags = 0x02 | (username.isPresent() ? 0x80 : 0) | (password.isPresent() ? 0x40 : 0);
        return packet(
                0x10,
                concat(
                        utf8("MQTT"), // protocol name
                        new byte[] {4, (byte) flags}, // level 4 (3.1.1), connect flags
                        u16(60), // keepalive 60 s
                        utf8(clientId),
                        username.map(Wire::utf8).orElse(new byte[0]),
                        password.map(Wire::utf8).orElse(new byte[0])));
    }

    static byte[] connect(String clientId) {
        return connect(clientId, Optional.empty(), Optional.empty());
    }

    /** CONNECT, protocol "MQTT" level 5, clean start, keepalive 60, no properties, optional username and password. */
    static byte[] connectV5(String clientId, Optional<String> username, Optional<String> password) {
        int flags = 0x02 | (username.isPresent() ? 0x80 : 0) | (password.isPresent() ? 0x40 : 0);
        return packet(
                0x10,
                concat(
                        utf8("MQTT"), // protocol name
                        new byte[] {5, (byte) flags}, // level 5, connect flags
                        u16(60), // keepalive 60 s
                        new byte[] {0}, // properties: none
                        utf8(clientId),
                        username.map(Wire::utf8).orElse(new byte[0]),
                        password.map(Wire::utf8).orElse(new byte[0])));
    }

    /** SUBSCRIBE (flags 0010) with one filter. */
    static byte[] subscribe(int packetId, String filter, int qos) {
        return packet(0x82, concat(u16(packetId), utf8(filter), new byte[] {(byte) qos}));
    }

    /** PUBLISH QoS 1, not retained. */
    static byte[] publishQos1(int packetId, String topic, byte[] payload) {
        return packet(0x32, concat(utf8(topic), u16(packetId), payload));
    }

    static byte[] pubAck(int packetId) {
        return packet(0x40, u16(packetId));
    }

    /** The packet's type and fields, for a failure message a person can read next to the expected one. */
    static String describe(byte[] packet) {
        if (packet.length < 2) {
            return "truncated [" + hex(packet) + "]";
        }
        int first = packet[0] & 0xff;
        int type = first >> 4;
        int flags = first & 0x0f;
        int offset = 1;
        while (offset < packet.length && (packet[offset] & 0x80) != 0) {
            offset++;
        }
        int body = offset + 1;
        String fields = switch (type) {
            case 2 ->
                packet.length >= body + 2
                        ? "CONNACK sp=" + (packet[body] & 1) + " rc=0x" + hex(new byte[] {packet[body + 1]})
                        : "CONNACK (short)";
            case 3 -> describePublish(packet, flags, body);
            case 4 -> "PUBACK id=" + id(packet, body);
            case 5 -> "PUBREC id=" + id(packet, body);
            case 6 -> "PUBREL id=" + id(packet, body);
            case 7 -> "PUBCOMP id=" + id(packet, body);
            case 9 ->
                "SUBACK id=" + id(packet, body) + " codes="
                        + (packet.length > body + 2 ? hex(slice(packet, body + 2, packet.length)) : "none");
            case 11 -> "UNSUBACK id=" + id(packet, body);
            case 13 -> "PINGRESP";
            default -> "type " + type;
        };
        String shown =
                packet.length > 24 ? hex(slice(packet, 0, 24)) + "... (" + packet.length + " bytes)" : hex(packet);
        return fields + " [" + shown + "]";
    }

    private static String describePublish(byte[] packet, int flags, int body) {
        int qos = (flags >> 1) & 3;
        if (packet.length < body + 2) {
            return "PUBLISH (short)";
        }
        int topicLength = ((packet[body] & 0xff) << 8) | (packet[body + 1] & 0xff);
        int topicEnd = Math.min(packet.length, body + 2 + topicLength);
        String topic = new String(slice(packet, body + 2, topicEnd), UTF_8);
        if (topic.length() > 40) {
            topic = topic.substring(0, 40) + "...";
        }
        String id = qos > 0 ? " id=" + id(packet, topicEnd) : "";
        int payloadStart = topicEnd + (qos > 0 ? 2 : 0);
        return "PUBLISH q" + qos + " r" + (flags & 1) + id + " topic='" + topic + "' payload="
                + Math.max(0, packet.length - payloadStart) + " bytes";
    }

    private static int id(byte[] packet, int at) {
        return packet.length >= at + 2 ? ((packet[at] & 0xff) << 8) | (packet[at + 1] & 0xff) : -1;
    }

    /** The packet without its fixed header (first byte and remaining length). */
    static byte[] body(byte[] packet) {
        int offset = 1;
        while ((packet[offset] & 0x80) != 0) {
            offset++;
        }
        return slice(packet, offset + 1, packet.length);
    }

    static byte[] slice(byte[] bytes, int from, int to) {
        byte[] out = new byte[to - from];
        System.arraycopy(bytes, from, out, 0, out.length);
        return out;
    }

    static List<String> describeAll(List<byte[]> packets) {
        return packets.stream().map(Wire::describe).toList();
    }
}
