package dev.drawbridge.broker.it.hostile;

import java.util.Optional;
import java.util.Set;

/**
 * The MQTT 5 half of {@link ServerPackets}: the body of a packet a server sent on an MQTT 5 connection, its reason codes
 * from the set the packet may carry (MQTT 5 section 2.4) and its properties well-formed (known identifiers, values
 * that fit, strings in strict UTF-8, the length exact).
 */
final class ServerPacketsV5 {

    private static final Set<Integer> CONNACK_CODES = Set.of(
            0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8c, 0x90, 0x95, 0x97, 0x99, 0x9a,
            0x9b, 0x9c, 0x9d, 0x9f);
    private static final Set<Integer> PUBACK_CODES = Set.of(0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99);
    private static final Set<Integer> PUBREL_CODES = Set.of(0x00, 0x92);
    private static final Set<Integer> SUBACK_CODES =
            Set.of(0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8f, 0x91, 0x97, 0x9e, 0xa1, 0xa2);
    private static final Set<Integer> UNSUBACK_CODES = Set.of(0x00, 0x11, 0x80, 0x83, 0x87, 0x8f, 0x91);
    private static final Set<Integer> DISCONNECT_CODES = Set.of(
            0x00, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8b, 0x8d, 0x8e, 0x8f, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99,
            0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f, 0xa0, 0xa1, 0xa2);

    private ServerPacketsV5() {}

    static Optional<String> problem(int type, int flags, byte[] body) {
        return switch (type) {
            case 2 -> connAck(body);
            case 3 -> publish(flags, body);
            case 4, 5 -> ack(body, PUBACK_CODES);
            case 6, 7 -> ack(body, PUBREL_CODES);
            case 9 -> subAck(body, SUBACK_CODES);
            case 11 -> subAck(body, UNSUBACK_CODES);
            case 13 -> body.length != 0 ? Optional.of("PINGRESP with a body") : Optional.empty();
            case 14 -> disconnect(body);
            default -> Optional.of("packet type " + type + " is not sent by servers on an MQTT 5 connection");
        };
    }

    private static Optional<String> connAck(byte[] body) {
        if (body.length == 2) {
            // A refusal of the protocol level is answered as MQTT 3.1.1 would be.
            return body[0] == 0 && body[1] == 1 ? Optional.empty() : Optional.of("CONNACK of length 2");
        }
        if (body.length < 3) {
            return Optional.of("CONNACK of length " + body.length);
        }
        if ((body[0] & 0xfe) != 0) {
            return Optional.of("CONNACK reserved acknowledge flags set");
        }
        int code = body[1] & 0xff;
        if (!CONNACK_CODES.contains(code)) {
            return Optional.of("CONNACK reason code 0x" + Integer.toHexString(code));
        }
        if (body[0] == 1 && code != 0) {
            return Optional.of("CONNACK session present with a refusal (MQTT-3.2.2-6)");
        }
        return properties(body, 2, true);
    }

    private static Optional<String> publish(int flags, byte[] body) {
        int qos = (flags >> 1) & 3;
        if (qos == 3) {
            return Optional.of("PUBLISH with QoS 3");
        }
        if (body.length < 2) {
            return Optional.of("PUBLISH without a topic length");
        }
        int topicLength = ((body[0] & 0xff) << 8) | (body[1] & 0xff);
        int at = 2 + topicLength + (qos > 0 ? 2 : 0);
        if (at > body.length) {
            return Optional.of("PUBLISH topic length " + topicLength + " past the packet");
        }
        // The topic and packet id are judged as in MQTT 3.1.1 (no topic aliases go to clients).
        Optional<String> head = ServerPackets.publish(flags, Wire.slice(body, 0, at));
        return head.isPresent() ? head : properties(body, at, false);
    }

    private static Optional<String> ack(byte[] body, Set<Integer> codes) {
        if (body.length < 2) {
            return Optional.of("acknowledgement of length " + body.length);
        }
        Optional<String> id = ServerPackets.nonZeroId(body);
        if (id.isPresent() || body.length == 2) {
            return id;
        }
        int code = body[2] & 0xff;
        if (!codes.contains(code)) {
            return Optional.of("acknowledgement reason code 0x" + Integer.toHexString(code));
        }
        return body.length == 3 ? Optional.empty() : properties(body, 3, true);
    }

    private static Optional<String> subAck(byte[] body, Set<Integer> codes) {
        if (body.length < 4) {
            return Optional.of("SUBACK/UNSUBACK of length " + body.length);
        }
        Optional<String> id = ServerPackets.nonZeroId(body);
        if (id.isPresent()) {
            return id;
        }
        int[] end = new int[1];
        Optional<String> props = properties(body, 2, false, end);
        if (props.isPresent()) {
            return props;
        }
        if (end[0] >= body.length) {
            return Optional.of("SUBACK/UNSUBACK without reason codes");
        }
        for (int i = end[0]; i < body.length; i++) {
            if (!codes.contains(body[i] & 0xff)) {
                return Optional.of("SUBACK/UNSUBACK reason code 0x" + Integer.toHexString(body[i] & 0xff));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> disconnect(byte[] body) {
        if (body.length == 0) {
            return Optional.empty();
        }
        int code = body[0] & 0xff;
        if (!DISCONNECT_CODES.contains(code)) {
            return Optional.of("DISCONNECT reason code 0x" + Integer.toHexString(code));
        }
        return body.length == 1 ? Optional.empty() : properties(body, 1, true);
    }

    private static Optional<String> properties(byte[] body, int at, boolean toTheEnd) {
        return properties(body, at, toTheEnd, new int[1]);
    }

    /** Checks the properties at {@code at}; {@code end[0]} is set to the first byte after them. */
    private static Optional<String> properties(byte[] body, int at, boolean toTheEnd, int[] end) {
        int[] pos = {at};
        long length = vbi(body, pos);
        if (length < 0) {
            return Optional.of("properties length is not a variable byte integer");
        }
        long stop = pos[0] + length;
        if (stop > body.length || (toTheEnd && stop != body.length)) {
            return Optional.of("properties of " + length + " bytes do not end with the packet");
        }
        end[0] = (int) stop;
        while (pos[0] < stop) {
            long id = vbi(body, pos);
            int size = switch ((int) id) {
                case 0x01, 0x17, 0x19, 0x24, 0x25, 0x28, 0x29, 0x2a -> 1;
                case 0x13, 0x21, 0x22, 0x23 -> 2;
                case 0x02, 0x11, 0x18, 0x27 -> 4;
                case 0x0b -> vbi(body, pos) <= 0 ? -1 : 0;
                case 0x03, 0x08, 0x12, 0x15, 0x1a, 0x1c, 0x1f -> string(body, pos, stop);
                case 0x09, 0x16 -> binary(body, pos, stop);
                case 0x26 -> string(body, pos, stop) == 0 ? string(body, pos, stop) : -1; // key, then value
                default -> -1;
            };
            if (size < 0 || pos[0] + size > stop) {
                return Optional.of("property 0x" + Long.toHexString(id) + " unknown, out of range or past its end");
            }
            pos[0] += size;
        }
        return Optional.empty();
    }

    /** A variable byte integer at {@code pos[0]}, which moves past it; -1 when it is not one. */
    private static long vbi(byte[] body, int[] pos) {
        long value = 0;
        for (int i = 0; i < 4; i++) {
            if (pos[0] >= body.length) {
                return -1;
            }
            int digit = body[pos[0]++] & 0xff;
            value |= (long) (digit & 0x7f) << (7 * i);
            if ((digit & 0x80) == 0) {
                return value;
            }
        }
        return -1;
    }

    /** Skips a strict UTF-8 string (moving {@code pos[0]} past it) and returns 0, or -1. */
    private static int string(byte[] body, int[] pos, long stop) {
        int start = pos[0];
        int size = binary(body, pos, stop);
        if (size < 0) {
            return -1;
        }
        if (ServerPackets.strictUtf8(Wire.slice(body, pos[0], pos[0] + size)).isEmpty()) {
            pos[0] = start;
            return -1;
        }
        pos[0] += size;
        return 0;
    }

    /** Skips the two-byte length of binary data and returns the data's size, or -1 when it runs past {@code stop}. */
    private static int binary(byte[] body, int[] pos, long stop) {
        if (pos[0] + 2 > stop) {
            return -1;
        }
        int size = ((body[pos[0]] & 0xff) << 8) | (body[pos[0] + 1] & 0xff);
        pos[0] += 2;
        return pos[0] + size > stop ? -1 : size;
    }
}
