package dev.drawbridge.broker.it.hostile;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.util.Optional;

/**
 * Judges a packet a broker sent: a well-formed MQTT 3.1.1 packet of a type a server may send (CONNACK, PUBLISH, PUBACK,
 * PUBREC, PUBREL, PUBCOMP, SUBACK, UNSUBACK, PINGRESP), with the fixed-header flags, lengths and fields the spec
 * requires; on an MQTT 5 connection ({@link #problemV5}) the same with reason codes and properties, and DISCONNECT.
 * Anything else is garbage a client could not parse.
 */
final class ServerPackets {

    private ServerPackets() {}

    /** What is wrong with the packet, or empty when it is one a server may send. */
    static Optional<String> problem(byte[] packet) {
        return problem(packet, false);
    }

    /** The same for a packet on an MQTT 5 connection. */
    static Optional<String> problemV5(byte[] packet) {
        return problem(packet, true);
    }

    private static Optional<String> problem(byte[] packet, boolean v5) {
        if (packet.length < 2) {
            return Optional.of("shorter than a fixed header");
        }
        int first = packet[0] & 0xff;
        int type = first >> 4;
        int flags = first & 0x0f;
        int at = 1;
        int length = 0;
        int digit;
        do {
            if (at > 4 || at >= packet.length) {
                return Optional.of("remaining length not encoded in 1 to 4 bytes");
            }
            digit = packet[at] & 0xff;
            length |= (digit & 0x7f) << (7 * (at - 1));
            at++;
        } while ((digit & 0x80) != 0);
        if (packet.length - at != length) {
            return Optional.of("remaining length " + length + " but " + (packet.length - at) + " bytes follow");
        }
        byte[] body = Wire.slice(packet, at, packet.length);
        int expectedFlags = type == 6 ? 0b0010 : 0;
        if (type != 3 && flags != expectedFlags) {
            return Optional.of("fixed-header flags " + Integer.toBinaryString(flags) + " on packet type " + type);
        }
        if (v5) {
            return ServerPacketsV5.problem(type, flags, body);
        }
        return switch (type) {
            case 2 -> connAck(body);
            case 3 -> publish(flags, body);
            case 4, 5, 6, 7, 11 ->
                body.length != 2 ? Optional.of("length " + body.length + ", not 2") : nonZeroId(body);
            case 9 -> subAck(body);
            case 13 -> body.length != 0 ? Optional.of("PINGRESP with a body") : Optional.empty();
            default -> Optional.of("packet type " + type + " is not sent by servers");
        };
    }

    private static Optional<String> connAck(byte[] body) {
        if (body.length != 2) {
            return Optional.of("CONNACK of length " + body.length);
        }
        if ((body[0] & 0xfe) != 0) {
            return Optional.of("CONNACK reserved acknowledge flags set");
        }
        if (body[1] < 0 || body[1] > 5) {
            return Optional.of("CONNACK return code " + body[1]);
        }
        if (body[0] == 1 && body[1] != 0) {
            return Optional.of("CONNACK session present with a refusal (MQTT-3.2.2-4)");
        }
        return Optional.empty();
    }

    static Optional<String> publish(int flags, byte[] body) {
        int qos = (flags >> 1) & 3;
        if (qos == 3) {
            return Optional.of("PUBLISH with QoS 3");
        }
        if (qos == 0 && (flags & 0x08) != 0) {
            return Optional.of("PUBLISH QoS 0 with DUP (MQTT-3.3.1-2)");
        }
        if (body.length < 2) {
            return Optional.of("PUBLISH without a topic length");
        }
        int topicLength = ((body[0] & 0xff) << 8) | (body[1] & 0xff);
        int end = 2 + topicLength + (qos > 0 ? 2 : 0);
        if (end > body.length) {
            return Optional.of("PUBLISH topic length " + topicLength + " past the packet");
        }
        byte[] topic = Wire.slice(body, 2, 2 + topicLength);
        Optional<String> text = strictUtf8(topic);
        if (text.isEmpty()) {
            return Optional.of("PUBLISH topic is not valid UTF-8: " + Wire.hex(topic));
        }
        String t = text.get();
        if (t.isEmpty() || t.contains("+") || t.contains("#") || t.indexOf('\u0000') >= 0) {
            return Optional.of("PUBLISH topic '" + t + "' is empty or has a wildcard or U+0000");
        }
        return qos > 0 ? nonZeroId(Wire.slice(body, 2 + topicLength, end)) : Optional.empty();
    }

    private static Optional<String> subAck(byte[] body) {
        if (body.length < 3) {
            return Optional.of("SUBACK without return codes");
        }
        for (int i = 2; i < body.length; i++) {
            int code = body[i] & 0xff;
            if (code > 2 && code != 0x80) {
                return Optional.of("SUBACK return code 0x" + Integer.toHexString(code));
            }
        }
        return nonZeroId(body);
    }

    static Optional<String> nonZeroId(byte[] idBytes) {
        return idBytes[0] == 0 && idBytes[1] == 0 ? Optional.of("packet id 0 (MQTT-2.3.1-1)") : Optional.empty();
    }

    /** The text, when the bytes are UTF-8 without overlong forms, surrogates or values past U+10FFFF. */
    static Optional<String> strictUtf8(byte[] bytes) {
        try {
            return Optional.of(UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
