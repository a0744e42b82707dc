package dev.drawbridge.broker.net;

import io.netty.buffer.ByteBuf;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The layout rules of MQTT 3.1.1 and 3.1 packets from a client, judged on the raw bytes of one complete packet before
 * anything is decoded: the fixed-header flags of each type, every length-prefixed field inside its packet and the
 * fields filling it exactly, every string strict UTF-8 ({@link StrictUtf8}), packet ids not 0, QoS bytes in range.
 * PUBLISH payloads are never read. Each check returns why the packet breaks the protocol, or null when it is fine.
 * What needs the decoded packet (topic syntax, the session's state) is {@link PacketRules}' job.
 */
final class FrameRules {

    static final int CONNECT = 1;
    static final int PUBLISH = 3;

    private static final String[] NAMES = {
        "type 0",
        "CONNECT",
        "CONNACK",
        "PUBLISH",
        "PUBACK",
        "PUBREC",
        "PUBREL",
        "PUBCOMP",
        "SUBSCRIBE",
        "SUBACK",
        "UNSUBSCRIBE",
        "UNSUBACK",
        "PINGREQ",
        "PINGRESP",
        "DISCONNECT",
        "type 15"
    };

    private FrameRules() {}

    /** Why a packet starting with this byte is refused before its body is read, or null. */
    static @Nullable String header(int firstByte) {
        int type = firstByte >> 4;
        int flags = firstByte & 0x0F;
        return switch (type) {
            case 0, 15 -> "reserved packet type " + type + " (MQTT-2.2.1)";
            case 2, 9, 11, 13 -> NAMES[type] + " is sent by servers only (MQTT-4.8.0-1)";
            case PUBLISH -> (flags & 0x06) == 0x06 ? "PUBLISH with QoS 3 (MQTT-3.3.1-4)" : null;
            case 6, 8, 10 -> flags == 0b0010 ? null : badFlags(type, flags, 0b0010);
            default -> flags == 0 ? null : badFlags(type, flags, 0);
        };
    }

    /**
     * Why this complete packet breaks the layout rules, or null. Its first byte has passed {@link #header(int)}.
     *
     * @param packet the buffer; its indices are not moved
     * @param body the index of the first byte after the remaining length
     * @param length the remaining length
     */
    static @Nullable String body(int firstByte, ByteBuf packet, int body, int length) {
        int type = firstByte >> 4;
        Fields fields = new Fields(packet, body, length);
        return switch (type) {
            case CONNECT -> connect(fields);
            case PUBLISH -> publish(fields, (firstByte >> 1) & 3);
            case 4, 5, 6, 7 -> length != 2 ? wrongLength(type, length, 2) : packetId(fields, type);
            case 8 -> subscribe(fields);
            case 10 -> unsubscribe(fields);
            default -> length != 0 ? wrongLength(type, length, 0) : null;
        };
    }

    /**
     * Whether this CONNECT (which has passed {@link #body}) asks for MQTT 3.1.1 (protocol name "MQTT", level 4) or 3.1
     * ("MQIsdp", level 3): the versions whose packets these rules describe.
     */
    static boolean isMqtt3(ByteBuf packet, int body) {
        int nameLength = packet.getUnsignedShort(body);
        int level = packet.getUnsignedByte(body + 2 + nameLength);
        return isMqtt311(packet, body + 2, nameLength, level) || isMqtt31(packet, body + 2, nameLength, level);
    }

    /** Whether this CONNECT (which has passed {@link #body}) asks for MQTT 5 (protocol name "MQTT", level 5). */
    static boolean isMqtt5(ByteBuf packet, int body) {
        int nameLength = packet.getUnsignedShort(body);
        int level = packet.getUnsignedByte(body + 2 + nameLength);
        return level == 5 && isAscii(packet, body + 2, nameLength, "MQTT");
    }

    private static boolean isMqtt311(ByteBuf packet, int nameAt, int nameLength, int level) {
        return level == 4 && isAscii(packet, nameAt, nameLength, "MQTT");
    }

    private static boolean isMqtt31(ByteBuf packet, int nameAt, int nameLength, int level) {
        return level == 3 && isAscii(packet, nameAt, nameLength, "MQIsdp");
    }

    private static @Nullable String connect(Fields f) {
        if (!f.string("protocol name")) {
            return f.problem;
        }
        int nameAt = f.at - f.lastLength;
        int nameLength = f.lastLength;
        if (f.left() < 4) {
            return "CONNECT ends inside its protocol level, flags and keepalive";
        }
        int level = f.byteAt(0);
        int flags = f.byteAt(1);
        f.skip(4);
        boolean mqtt311 = isMqtt311(f.packet, nameAt, nameLength, level);
        if (!mqtt311 && !isMqtt31(f.packet, nameAt, nameLength, level)) {
            // Another protocol or version: the front handler answers it (CONNACK 0x01 or 0x84) or closes.
            return null;
        }
        if (mqtt311 && (flags & 0x01) != 0) {
            return "reserved connect flag (bit 0) set (MQTT-3.1.2-3)";
        }
        boolean will = (flags & 0x04) != 0;
        int willQos = (flags >> 3) & 3;
        boolean willRetain = (flags & 0x20) != 0;
        boolean password = (flags & 0x40) != 0;
        boolean username = (flags & 0x80) != 0;
        if (!will && (willQos != 0 || willRetain)) {
            return "will QoS or will retain set without a will (MQTT-3.1.2-13, MQTT-3.1.2-15)";
        }
        if (willQos == 3) {
            return "will QoS 3 (MQTT-3.1.2-14)";
        }
        if (password && !username) {
            return "a password without a username (MQTT-3.1.2-22)";
        }
        boolean fine = f.string("client id")
                && (!will || (f.string("will topic") && f.binary("will message")))
                && (!username || f.string("username"))
                && (!password || f.binary("password"))
                && f.filled("CONNECT");
        return fine ? null : f.problem;
    }

    private static @Nullable String publish(Fields f, int qos) {
        boolean fine = f.string("PUBLISH topic") && (qos == 0 || f.packetId("PUBLISH"));
        // The rest is the payload, which is never inspected.
        return fine ? null : f.problem;
    }

    private static @Nullable String packetId(Fields f, int type) {
        return f.packetId(NAMES[type]) ? null : f.problem;
    }

    private static @Nullable String subscribe(Fields f) {
        if (!f.packetId("SUBSCRIBE")) {
            return f.problem;
        }
        if (f.left() == 0) {
            return "SUBSCRIBE without a filter (MQTT-3.8.3-3)";
        }
        while (f.left() > 0) {
            if (!f.string("topic filter")) {
                return f.problem;
            }
            if (f.left() == 0) {
                return "a topic filter without its requested QoS byte";
            }
            int options = f.byteAt(0);
            f.skip(1);
            if ((options & 0xFC) != 0) {
                return "reserved bits set in the requested QoS byte " + hex(options) + " (MQTT-3.8.3-4)";
            }
            if (options == 3) {
                return "requested QoS 3 (MQTT-3.8.3-4)";
            }
        }
        return null;
    }

    private static @Nullable String unsubscribe(Fields f) {
        if (!f.packetId("UNSUBSCRIBE")) {
            return f.problem;
        }
        if (f.left() == 0) {
            return "UNSUBSCRIBE without a filter (MQTT-3.10.3-2)";
        }
        while (f.left() > 0) {
            if (!f.string("topic filter")) {
                return f.problem;
            }
        }
        return null;
    }

    private static String wrongLength(int type, int length, int expected) {
        return NAMES[type] + " with remaining length " + length + ", must be " + expected + " (MQTT-4.8.0-1)";
    }

    private static String badFlags(int type, int flags, int expected) {
        return NAMES[type] + " with fixed-header flags " + bits(flags) + ", must be " + bits(expected)
                + " (MQTT-2.2.2-2)";
    }

    private static String bits(int flags) {
        String binary = Integer.toBinaryString(flags | 0x10);
        return binary.substring(1);
    }

    private static String count(int bytes) {
        return bytes == 1 ? "1 byte" : bytes + " bytes";
    }

    private static String hex(int b) {
        return String.format(Locale.ROOT, "0x%02X", b);
    }

    private static boolean isAscii(ByteBuf packet, int at, int length, String expected) {
        if (length != expected.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (packet.getUnsignedByte(at + i) != expected.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Reads one packet's fields in order, by index; the first field that does not fit sets {@link #problem}. */
    private static final class Fields {
        private final ByteBuf packet;
        private final int end;
        private int at;
        private int lastLength;
        private @Nullable String problem;

        Fields(ByteBuf packet, int body, int length) {
            this.packet = packet;
            this.at = body;
            this.end = body + length;
        }

        int left() {
            return end - at;
        }

        int byteAt(int offset) {
            return packet.getUnsignedByte(at + offset);
        }

        void skip(int count) {
            at += count;
        }

        /** A two-byte length and that many bytes of strict UTF-8. */
        boolean string(String what) {
            if (!binary(what)) {
                return false;
            }
            String bad = StrictUtf8.problem(packet, at - lastLength, lastLength);
            if (bad != null) {
                problem = what + ": " + bad;
                return false;
            }
            return true;
        }

        /** A two-byte length and that many bytes. */
        boolean binary(String what) {
            if (left() < 2) {
                return fail(what + ": its length needs 2 bytes, " + count(left()) + " left in the packet");
            }
            int length = packet.getUnsignedShort(at);
            if (length > left() - 2) {
                return fail(what + ": length " + length + " runs past the end of the packet (" + count(left() - 2)
                        + " left)");
            }
            at += 2 + length;
            lastLength = length;
            return true;
        }

        boolean packetId(String packetName) {
            if (left() < 2) {
                return fail(packetName + " ends before its packet id");
            }
            if (packet.getUnsignedShort(at) == 0) {
                return fail(packetName + " with packet id 0 (MQTT-2.3.1-1)");
            }
            at += 2;
            return true;
        }

        /** The fields read so far end exactly where the packet does. */
        boolean filled(String packetName) {
            return left() == 0 || fail(count(left()) + " after the last field of " + packetName);
        }

        private boolean fail(String why) {
            problem = why;
            return false;
        }
    }
}
