package dev.drawbridge.broker.engine.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;

/** Encodes the server's small packets: acknowledgements and PINGRESP (MQTT 3.1.1 sections 3.4-3.13). */
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

    public static ByteBuf pingResp(ByteBufAllocator alloc) {
        return alloc.buffer(2).writeByte(0xD0).writeByte(0);
    }

    private static ByteBuf idPacket(ByteBufAllocator alloc, int firstByte, int packetId) {
        return alloc.buffer(4).writeByte(firstByte).writeByte(2).writeShort(packetId);
    }
}
