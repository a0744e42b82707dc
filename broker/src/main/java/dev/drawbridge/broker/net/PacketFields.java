package dev.drawbridge.broker.net;

import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

/**
 * Reads one packet's fields in order, by index, for {@link FrameRules} and {@link Mqtt5FrameRules}: each read says
 * whether the field fits, and the first one that does not sets {@link #problem()}. The buffer's indices are never
 * moved. A read can be confined to a part of the packet (MQTT 5 properties) with {@link #confine}.
 */
final class PacketFields {

    private static final int MAX_VARIABLE_BYTE_INTEGER_BYTES = 4;

    final ByteBuf packet;
    private int end;
    private String region = "the packet";
    private int at;
    private int lastLength;
    private @Nullable MalformedPacket problem;

    PacketFields(ByteBuf packet, int body, int length) {
        this.packet = packet;
        this.at = body;
        this.end = body + length;
    }

    int left() {
        return end - at;
    }

    /** The index of the next field. */
    int at() {
        return at;
    }

    /** The length of the last string or binary field read. */
    int lastLength() {
        return lastLength;
    }

    int byteAt(int offset) {
        return packet.getUnsignedByte(at + offset);
    }

    void skip(int count) {
        at += count;
    }

    @Nullable
    MalformedPacket problem() {
        return problem;
    }

    /** A two-byte length and that many bytes of strict UTF-8. */
    boolean string(String what) {
        if (!binary(what)) {
            return false;
        }
        String bad = StrictUtf8.problem(packet, at - lastLength, lastLength);
        return bad == null || fail(what + ": " + bad);
    }

    /** A two-byte length and that many bytes. */
    boolean binary(String what) {
        if (left() < 2) {
            return fail(what + ": its length needs 2 bytes, " + count(left()) + " left in " + region);
        }
        int length = packet.getUnsignedShort(at);
        if (length > left() - 2) {
            return fail(what + ": length " + length + " runs past the end of " + region + " (" + count(left() - 2)
                    + " left)");
        }
        at += 2 + length;
        lastLength = length;
        return true;
    }

    /** A fixed-size integer of 1, 2 or 4 bytes, or -1 (and the problem set) when it does not fit. */
    long unsigned(String what, int bytes) {
        if (left() < bytes) {
            fail(what + ": needs " + count(bytes) + ", " + count(left()) + " left in " + region);
            return -1;
        }
        long value = switch (bytes) {
            case 1 -> packet.getUnsignedByte(at);
            case 2 -> packet.getUnsignedShort(at);
            default -> packet.getUnsignedInt(at);
        };
        at += bytes;
        return value;
    }

    /** A variable byte integer (MQTT 5 section 1.5.5), or -1 (and the problem set) when it is cut off or too long. */
    int variableByteInteger(String what) {
        int value = 0;
        for (int i = 0; i < MAX_VARIABLE_BYTE_INTEGER_BYTES; i++) {
            if (left() < 1) {
                fail(what + ": a variable byte integer cut off by the end of " + region);
                return -1;
            }
            int digit = packet.getUnsignedByte(at++);
            value |= (digit & 0x7F) << (7 * i);
            if ((digit & 0x80) == 0) {
                return value;
            }
        }
        fail(what + ": a variable byte integer longer than four bytes (MQTT 1.5.5)");
        return -1;
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

    /** The fields read so far end exactly where the packet (or the confined part) does. */
    boolean filled(String what) {
        return left() == 0 || fail(count(left()) + " after the last field of " + what);
    }

    /**
     * Confines the reads to the next {@code length} bytes, called {@code name} in problems; {@link #release} ends it.
     *
     * @return the end to give {@link #release}
     */
    int confine(int length, String name) {
        int outer = end;
        end = at + length;
        region = name;
        return outer;
    }

    void release(int outerEnd) {
        end = outerEnd;
        region = "the packet";
    }

    /** Sets the problem: a Malformed Packet. Returns false, for use in conditions. */
    boolean fail(String why) {
        problem = MalformedPacket.malformed(why);
        return false;
    }

    /** Sets the problem: a Protocol Error. Returns false, for use in conditions. */
    boolean protocolError(String why) {
        problem = MalformedPacket.protocolError(why);
        return false;
    }

    static String count(int bytes) {
        return bytes == 1 ? "1 byte" : bytes + " bytes";
    }
}
