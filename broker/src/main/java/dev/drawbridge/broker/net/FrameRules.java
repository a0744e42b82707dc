package dev.drawbridge.broker.net;

import io.netty.buffer.ByteBuf;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The layout rules of MQTT 3.1.1 and 3.1 packets from a client, judged on the raw bytes of one complete packet before
 * anything is decoded: the fixed-header flags of each type, every length-prefixed field inside its packet and the
 * fields filling it exactly, every string strict UTF-8 ({@link StrictUtf8}), packet ids not 0, QoS bytes in range.
 * PUBLISH payloads are never read. Each check returns why the packet breaks the protocol, or null when it is fine.
 * A connection that asked for MQTT 5 is judged by {@link Mqtt5FrameRules} instead.
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
    static @Nullable MalformedPacket header(int firstByte) {
        int type = firstByte >> 4;
        int flags = firstByte & 0x0F;
        String problem = switch (type) {
            case 0, 15 -> "reserved packet type " + type + " (MQTT-2.2.1)";
            case 2, 9, 11, 13 -> NAMES[type] + " is sent by servers only (MQTT-4.8.0-1)";
            case PUBLISH -> (flags & 0x06) == 0x06 ? "PUBLISH with QoS 3 (MQTT-3.3.1-4)" : null;
            case 6, 8, 10 -> flags == 0b0010 ? null : badFlags(NAMES[type], flags, 0b0010);
            default -> flags == 0 ? null : badFlags(NAMES[type], flags, 0);
        };
        return problem == null ? null : MalformedPacket.malformed(problem);
    }

    /**
     * Why this complete packet breaks the layout rules, or null. Its first byte has passed {@link #header(int)}. A
     * CONNECT is judged by the rules of the version it asks for: MQTT 5's are {@link Mqtt5FrameRules}'; one of another
     * protocol or version is not judged (the front handler answers it with CONNACK 0x01 or 0x84, or closes).
     *
     * @param packet the buffer; its indices are not moved
     * @param body the index of the first byte after the remaining length
     * @param length the remaining length
     */
    static @Nullable MalformedPacket body(int firstByte, ByteBuf packet, int body, int length) {
        int type = firstByte >> 4;
        PacketFields fields = new PacketFields(packet, body, length);
        return switch (type) {
            case CONNECT -> connect(fields);
            case PUBLISH -> publish(fields, (firstByte >> 1) & 3);
            case 4, 5, 6, 7 -> length != 2 ? wrongLength(type, length, 2) : packetId(fields, type);
            case 8 -> subscribe(fields);
            case 10 -> unsubscribe(fields);
            default -> length != 0 ? wrongLength(type, length, 0) : null;
        };
    }

    /** The protocol versions a CONNECT can ask for, as far as these rules care. */
    enum Version {
        /**
         * MQTT 3.1.1 (protocol name "MQTT", level 4) or 3.1 ("MQIsdp", level 3), also from a bridge (0x84, 0x83): the
         * rules of this class.
         */
        MQTT_3,
        /** MQTT 5 ("MQTT", level 5): the rules of {@link Mqtt5FrameRules}. */
        MQTT_5,
        /** Any other protocol name or level: refused by the front handler. */
        OTHER
    }

    /**
     * The bit of the protocol level by which a bridge says it is one (Mosquitto's {@code try_private}): level 0x84 for
     * MQTT 3.1.1, 0x83 for MQTT 3.1.
     */
    static final int BRIDGE_BIT = 0x80;

    /** The version this CONNECT (which has passed {@link #body}) asks for. */
    static Version version(ByteBuf packet, int body) {
        return version(
                packet, body + 2, packet.getUnsignedShort(body), packet.getUnsignedByte(levelIndex(packet, body)));
    }

    /** Where the protocol level of this CONNECT (which has passed {@link #body}) is. */
    static int levelIndex(ByteBuf packet, int body) {
        return body + 2 + packet.getUnsignedShort(body);
    }

    /**
     * Whether this CONNECT (which has passed {@link #body}) comes from a bridge: an MQTT 3.1.1 or 3.1 level with {@link
     * #BRIDGE_BIT} set, which Mosquitto's {@code handle_connect.c} accepts from any client and remembers as
     * {@code is_bridge}.
     */
    static boolean fromBridge(ByteBuf packet, int body) {
        int level = packet.getUnsignedByte(levelIndex(packet, body));
        return (level & BRIDGE_BIT) != 0 && version(packet, body) == Version.MQTT_3;
    }

    private static Version version(ByteBuf packet, int nameAt, int nameLength, int level) {
        if (isAscii(packet, nameAt, nameLength, "MQTT")) {
            int plain = level & ~BRIDGE_BIT;
            return plain == 4 ? Version.MQTT_3 : level == 5 ? Version.MQTT_5 : Version.OTHER;
        }
        return (level & ~BRIDGE_BIT) == 3 && isAscii(packet, nameAt, nameLength, "MQIsdp")
                ? Version.MQTT_3
                : Version.OTHER;
    }

    private static @Nullable MalformedPacket connect(PacketFields f) {
        if (!f.string("protocol name")) {
            return f.problem();
        }
        int nameAt = f.at() - f.lastLength();
        int nameLength = f.lastLength();
        if (f.left() < 4) {
            return MalformedPacket.malformed("CONNECT ends inside its protocol level, flags and keepalive");
        }
        int level = f.byteAt(0);
        int flags = f.byteAt(1);
        f.skip(4);
        Version version = version(f.packet, nameAt, nameLength, level);
        if (version == Version.MQTT_5) {
            return Mqtt5FrameRules.connect(f, flags);
        }
        if (level == (5 | BRIDGE_BIT) && isAscii(f.packet, nameAt, nameLength, "MQTT")) {
            // Mosquitto 2.0.11 takes 0x85 for MQTT 5 but then reads no properties, so the client id is read from the
            // properties' place and a real MQTT 5 CONNECT closes without a CONNACK; here it always does.
            return MalformedPacket.malformed("protocol level 0x85: the bridge bit is for MQTT 3.1 and 3.1.1 only");
        }
        if (version == Version.OTHER) {
            return null;
        }
        if ((level & ~BRIDGE_BIT) == 4 && (flags & 0x01) != 0) {
            return MalformedPacket.malformed("reserved connect flag (bit 0) set (MQTT-3.1.2-3)");
        }
        String problem = willFlagsProblem(flags);
        if (problem != null) {
            return MalformedPacket.malformed(problem);
        }
        boolean will = (flags & 0x04) != 0;
        boolean password = (flags & 0x40) != 0;
        boolean username = (flags & 0x80) != 0;
        if (password && !username) {
            return MalformedPacket.malformed("a password without a username (MQTT-3.1.2-22)");
        }
        boolean fine = f.string("client id")
                && (!will || (f.string("will topic") && f.binary("will message")))
                && (!username || f.string("username"))
                && (!password || f.binary("password"))
                && f.filled("CONNECT");
        return fine ? null : f.problem();
    }

    /** Why the will bits of these connect flags do not fit together, or null; the same rule in MQTT 3.1.1 and 5. */
    static @Nullable String willFlagsProblem(int flags) {
        boolean will = (flags & 0x04) != 0;
        int willQos = (flags >> 3) & 3;
        boolean willRetain = (flags & 0x20) != 0;
        if (!will && (willQos != 0 || willRetain)) {
            return "will QoS or will retain set without a will (MQTT-3.1.2-13, MQTT-3.1.2-15)";
        }
        return willQos == 3 ? "will QoS 3 (MQTT-3.1.2-14)" : null;
    }

    private static @Nullable MalformedPacket publish(PacketFields f, int qos) {
        boolean fine = f.string("PUBLISH topic") && (qos == 0 || f.packetId("PUBLISH"));
        // The rest is the payload, which is never inspected.
        return fine ? null : f.problem();
    }

    private static @Nullable MalformedPacket packetId(PacketFields f, int type) {
        return f.packetId(NAMES[type]) ? null : f.problem();
    }

    private static @Nullable MalformedPacket subscribe(PacketFields f) {
        if (!f.packetId("SUBSCRIBE")) {
            return f.problem();
        }
        if (f.left() == 0) {
            return MalformedPacket.malformed("SUBSCRIBE without a filter (MQTT-3.8.3-3)");
        }
        while (f.left() > 0) {
            if (!f.string("topic filter")) {
                return f.problem();
            }
            if (f.left() == 0) {
                return MalformedPacket.malformed("a topic filter without its requested QoS byte");
            }
            int options = f.byteAt(0);
            f.skip(1);
            if ((options & 0xFC) != 0) {
                return MalformedPacket.malformed(
                        "reserved bits set in the requested QoS byte " + hex(options) + " (MQTT-3.8.3-4)");
            }
            if (options == 3) {
                return MalformedPacket.malformed("requested QoS 3 (MQTT-3.8.3-4)");
            }
        }
        return null;
    }

    private static @Nullable MalformedPacket unsubscribe(PacketFields f) {
        if (!f.packetId("UNSUBSCRIBE")) {
            return f.problem();
        }
        if (f.left() == 0) {
            return MalformedPacket.malformed("UNSUBSCRIBE without a filter (MQTT-3.10.3-2)");
        }
        while (f.left() > 0) {
            if (!f.string("topic filter")) {
                return f.problem();
            }
        }
        return null;
    }

    static String name(int type) {
        return NAMES[type];
    }

    private static MalformedPacket wrongLength(int type, int length, int expected) {
        return MalformedPacket.malformed(
                NAMES[type] + " with remaining length " + length + ", must be " + expected + " (MQTT-4.8.0-1)");
    }

    static String badFlags(String packetName, int flags, int expected) {
        return packetName + " with fixed-header flags " + bits(flags) + ", must be " + bits(expected)
                + " (MQTT-2.2.2-2)";
    }

    private static String bits(int flags) {
        String binary = Integer.toBinaryString(flags | 0x10);
        return binary.substring(1);
    }

    static String hex(int b) {
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
}
