package dev.drawbridge.broker.engine.codec;

import io.netty.buffer.ByteBuf;

/** The variable byte integer of a fixed header (MQTT 3.1.1 section 2.2.3), also MQTT 5's property lengths and subscription identifiers. */
public final class RemainingLength {

    private RemainingLength() {}

    public static int size(int value) {
        return value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;
    }

    public static void write(ByteBuf out, int value) {
        int v = value;
        do {
            int digit = v & 0x7F;
            v >>>= 7;
            out.writeByte(v > 0 ? digit | 0x80 : digit);
        } while (v > 0);
    }
}
