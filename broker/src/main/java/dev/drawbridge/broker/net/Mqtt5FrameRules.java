package dev.drawbridge.broker.net;

import dev.drawbridge.broker.net.Mqtt5Properties.Place;
import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

/**
 * The layout rules of MQTT 5 packets from a client (OASIS MQTT 5.0), judged on the raw bytes of one complete packet as
 * {@link FrameRules} judges MQTT 3.1.1's: fixed-header flags, every field inside its packet, properties by {@link
 * Mqtt5Properties}, the reason codes a client may send in each packet, and the subscription options byte. Each check
 * returns the fault with the kind the spec's wording gives it (Malformed Packet or Protocol Error), or null. What needs
 * the session (topic alias maximum, aliases known, receive maximum, a second CONNECT) is the engine's job.
 */
final class Mqtt5FrameRules {

    private static final int AUTH = 15;

    private Mqtt5FrameRules() {}

    /** Why a packet starting with this byte is refused on an MQTT 5 connection before its body is read, or null. */
    static @Nullable MalformedPacket header(int firstByte) {
        int type = firstByte >> 4;
        if (type == AUTH) {
            int flags = firstByte & 0x0F;
            return flags == 0 ? null : MalformedPacket.malformed(FrameRules.badFlags("AUTH", flags, 0));
        }
        if (type == 2 || type == 9 || type == 11 || type == 13) {
            // A well-formed packet in the wrong direction.
            return MalformedPacket.protocolError(FrameRules.name(type) + " is sent by servers only (MQTT 2.1.2)");
        }
        return FrameRules.header(firstByte);
    }

    /**
     * Why this complete packet on an MQTT 5 connection breaks the rules, or null. Its first byte has passed {@link
     * #header(int)}.
     *
     * @param packet the buffer; its indices are not moved
     * @param body the index of the first byte after the remaining length
     * @param length the remaining length
     */
    static @Nullable MalformedPacket body(int firstByte, ByteBuf packet, int body, int length) {
        int type = firstByte >> 4;
        PacketFields f = new PacketFields(packet, body, length);
        return switch (type) {
            case FrameRules.CONNECT -> FrameRules.body(firstByte, packet, body, length);
            case FrameRules.PUBLISH -> publish(f, (firstByte >> 1) & 3);
            case 4, 5, 6, 7 -> acknowledgement(f, type);
            case 8 -> subscribe(f);
            case 10 -> unsubscribe(f);
            case 14, AUTH -> disconnectOrAuth(f, type);
            default ->
                length == 0
                        ? null
                        : MalformedPacket.malformed(
                                FrameRules.name(type) + " with remaining length " + length + ", must be 0");
        };
    }

    /** The rest of an MQTT 5 CONNECT after its protocol name, level, flags and keepalive. */
    static @Nullable MalformedPacket connect(PacketFields f, int flags) {
        if ((flags & 0x01) != 0) {
            return MalformedPacket.malformed("reserved connect flag (bit 0) set (MQTT-3.1.2-3)");
        }
        String willProblem = FrameRules.willFlagsProblem(flags);
        if (willProblem != null) {
            return MalformedPacket.malformed(willProblem);
        }
        long properties = Mqtt5Properties.read(f, Place.CONNECT);
        if (properties < 0) {
            return f.problem();
        }
        if (has(properties, Mqtt5Properties.AUTHENTICATION_DATA)
                && !has(properties, Mqtt5Properties.AUTHENTICATION_METHOD)) {
            return MalformedPacket.protocolError(
                    "authentication data without an authentication method (MQTT 3.1.2.11.10)");
        }
        boolean will = (flags & 0x04) != 0;
        boolean password = (flags & 0x40) != 0;
        boolean username = (flags & 0x80) != 0;
        // MQTT 5 allows a password without a username (MQTT 3.1.2.9).
        boolean fine = f.string("client id")
                && (!will
                        || (Mqtt5Properties.read(f, Place.WILL) >= 0
                                && f.string("will topic")
                                && f.binary("will payload")))
                && (!username || f.string("username"))
                && (!password || f.binary("password"))
                && f.filled("CONNECT");
        return fine ? null : f.problem();
    }

    private static @Nullable MalformedPacket publish(PacketFields f, int qos) {
        if (!f.string("PUBLISH topic")) {
            return f.problem();
        }
        boolean emptyTopic = f.lastLength() == 0;
        if (qos > 0 && !f.packetId("PUBLISH")) {
            return f.problem();
        }
        long properties = Mqtt5Properties.read(f, Place.PUBLISH);
        if (properties < 0) {
            return f.problem();
        }
        if (emptyTopic && !has(properties, Mqtt5Properties.TOPIC_ALIAS)) {
            return MalformedPacket.protocolError("PUBLISH with an empty topic and no topic alias (MQTT 3.3.2.1)");
        }
        // The rest is the payload, which is never inspected.
        return null;
    }

    private static @Nullable MalformedPacket acknowledgement(PacketFields f, int type) {
        String name = FrameRules.name(type);
        if (!f.packetId(name)) {
            return f.problem();
        }
        if (f.left() == 0) {
            return null; // remaining length 2: reason code 0x00, no properties (MQTT 3.4.2.1)
        }
        int reason = f.byteAt(0);
        f.skip(1);
        if (!ReasonCodes.allowed(type, reason)) {
            return MalformedPacket.protocolError(
                    name + " with reason code " + Mqtt5Properties.hex(reason) + ", not one of " + name + "'s");
        }
        if (f.left() == 0) {
            return null; // remaining length 3: no properties
        }
        return Mqtt5Properties.read(f, Place.ACKNOWLEDGEMENT) >= 0 && f.filled(name) ? null : f.problem();
    }

    private static @Nullable MalformedPacket subscribe(PacketFields f) {
        if (!f.packetId("SUBSCRIBE") || Mqtt5Properties.read(f, Place.SUBSCRIBE) < 0) {
            return f.problem();
        }
        if (f.left() == 0) {
            return MalformedPacket.protocolError("SUBSCRIBE without a filter (MQTT-3.8.3-2)");
        }
        while (f.left() > 0) {
            if (!f.string("topic filter")) {
                return f.problem();
            }
            boolean shared = startsWithShare(f);
            if (f.left() == 0) {
                return MalformedPacket.malformed("a topic filter without its subscription options byte");
            }
            int options = f.byteAt(0);
            f.skip(1);
            String hex = Mqtt5Properties.hex(options);
            if ((options & 0xC0) != 0) {
                return MalformedPacket.malformed(
                        "reserved bits 6-7 set in subscription options " + hex + " (MQTT-3.8.3-5)");
            }
            if ((options & 0x03) == 3) {
                return MalformedPacket.protocolError("subscription options " + hex + " ask for QoS 3 (MQTT 3.8.3.1)");
            }
            if ((options & 0x30) == 0x30) {
                // Mosquitto 2.0 answers 0x81 (malformed) here.
                return MalformedPacket.malformed(
                        "subscription options " + hex + " ask for retain handling 3 (MQTT 3.8.3.1)");
            }
            if (shared && (options & 0x04) != 0) {
                return MalformedPacket.protocolError("no local on a shared subscription (MQTT-3.8.3-4)");
            }
        }
        return null;
    }

    private static @Nullable MalformedPacket unsubscribe(PacketFields f) {
        if (!f.packetId("UNSUBSCRIBE") || Mqtt5Properties.read(f, Place.UNSUBSCRIBE) < 0) {
            return f.problem();
        }
        if (f.left() == 0) {
            return MalformedPacket.protocolError("UNSUBSCRIBE without a filter (MQTT-3.10.3-2)");
        }
        while (f.left() > 0) {
            if (!f.string("topic filter")) {
                return f.problem();
            }
        }
        return null;
    }

    private static @Nullable MalformedPacket disconnectOrAuth(PacketFields f, int type) {
        String name = type == AUTH ? "AUTH" : "DISCONNECT";
        if (f.left() == 0) {
            return null; // reason code 0x00, no properties (MQTT 3.14.2.1, 3.15.2.1)
        }
        int reason = f.byteAt(0);
        f.skip(1);
        if (!ReasonCodes.allowed(type, reason)) {
            return MalformedPacket.protocolError(name + " with reason code " + Mqtt5Properties.hex(reason)
                    + ", not one a client may send in " + name);
        }
        if (f.left() == 0) {
            return null;
        }
        Place place = type == AUTH ? Place.AUTH : Place.DISCONNECT;
        return Mqtt5Properties.read(f, place) >= 0 && f.filled(name) ? null : f.problem();
    }

    private static boolean startsWithShare(PacketFields f) {
        String prefix = "$share/";
        if (f.lastLength() < prefix.length()) {
            return false;
        }
        int from = f.at() - f.lastLength();
        for (int i = 0; i < prefix.length(); i++) {
            if (f.packet.getUnsignedByte(from + i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean has(long properties, int id) {
        return (properties & (1L << id)) != 0;
    }
}
