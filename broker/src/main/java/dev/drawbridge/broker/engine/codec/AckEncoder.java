package dev.drawbridge.broker.engine.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;

/**
 * Encodes the server's small packets: CONNACK, acknowledgements, PINGRESP and DISCONNECT (MQTT 3.1.1 sections 3.2 and
 * 3.4-3.13; MQTT 5's forms with reason codes).
 */
public final class AckEncoder {

    private static final int PUBACK = 0x40;
    private static final int PUBREC = 0x50;
    private static final int PUBREL = 0x62;
    private static final int PUBCOMP = 0x70;
    private static final int UNSUBACK = 0xB0;

    private AckEncoder() {}

    public static ByteBuf pubAck(ByteBufAllocator alloc, int packetId) {
        return idPacket(alloc, PUBACK, packetId);
    }

    public static ByteBuf pubRec(ByteBufAllocator alloc, int packetId) {
        return idPacket(alloc, PUBREC, packetId);
    }

    public static ByteBuf pubRel(ByteBufAllocator alloc, int packetId) {
        return idPacket(alloc, PUBREL, packetId);
    }

    public static ByteBuf pubComp(ByteBufAllocator alloc, int packetId) {
        return idPacket(alloc, PUBCOMP, packetId);
    }

    public static ByteBuf unsubAck(ByteBufAllocator alloc, int packetId) {
        return idPacket(alloc, UNSUBACK, packetId);
    }

    /** SUBACK with one return code per filter: the granted QoS, or 0x80 for a refused filter. */
    public static ByteBuf subAck(ByteBufAllocator alloc, int packetId, List<Integer> returnCodes) {
        int remaining = 2 + returnCodes.size();
        ByteBuf out = alloc.buffer(1 + RemainingLength.size(remaining) + remaining);
        out.writeByte(0x90);
        RemainingLength.write(out, remaining);
        out.writeShort(packetId);
        for (int code : returnCodes) {
            out.writeByte(code);
        }
        return out;
    }

    /**
     * An MQTT 5 PUBACK, PUBREC, PUBREL or PUBCOMP (MQTT 5 sections 3.4-3.7): the short form when the reason code is 0
     * (success), as Mosquitto sends it, else the reason code and no properties.
     *
     * @param firstByte the packet type and flags, e.g. {@link #pubAckType()}
     */
    public static ByteBuf ack5(ByteBufAllocator alloc, int firstByte, int packetId, int reasonCode) {
        if (reasonCode == 0) {
            return idPacket(alloc, firstByte, packetId);
        }
        return alloc.buffer(5)
                .writeByte(firstByte)
                .writeByte(3)
                .writeShort(packetId)
                .writeByte(reasonCode);
    }

    public static int pubAckType() {
        return PUBACK;
    }

    public static int pubRecType() {
        return PUBREC;
    }

    /** An MQTT 5 SUBACK or UNSUBACK: packet id, no properties, one reason code per filter. */
    public static ByteBuf subAck5(ByteBufAllocator alloc, int packetId, List<Integer> reasonCodes) {
        return codes5(alloc, 0x90, packetId, reasonCodes);
    }

    public static ByteBuf unsubAck5(ByteBufAllocator alloc, int packetId, List<Integer> reasonCodes) {
        return codes5(alloc, UNSUBACK, packetId, reasonCodes);
    }

    private static ByteBuf codes5(ByteBufAllocator alloc, int firstByte, int packetId, List<Integer> reasonCodes) {
        int remaining = 3 + reasonCodes.size();
        ByteBuf out = alloc.buffer(1 + RemainingLength.size(remaining) + remaining);
        out.writeByte(firstByte);
        RemainingLength.write(out, remaining);
        out.writeShort(packetId);
        out.writeByte(0);
        for (int code : reasonCodes) {
            out.writeByte(code);
        }
        return out;
    }

    /** An MQTT 3.1.1 or 3.1 CONNACK (section 3.2): the session present flag, then the return code. */
    public static ByteBuf connAck(ByteBufAllocator alloc, boolean sessionPresent, int returnCode) {
        return alloc.buffer(4)
                .writeByte(0x20)
                .writeByte(2)
                .writeByte(sessionPresent ? 1 : 0)
                .writeByte(returnCode);
    }

    /** A server's MQTT 5 DISCONNECT with a reason code and no properties (MQTT 5 section 3.14). */
    public static ByteBuf disconnect5(ByteBufAllocator alloc, int reasonCode) {
        return alloc.buffer(3).writeByte(0xE0).writeByte(1).writeByte(reasonCode);
    }

    public static ByteBuf pingResp(ByteBufAllocator alloc) {
        return alloc.buffer(2).writeByte(0xD0).writeByte(0);
    }

    private static ByteBuf idPacket(ByteBufAllocator alloc, int firstByte, int packetId) {
        return alloc.buffer(4).writeByte(firstByte).writeByte(2).writeShort(packetId);
    }
}
