package dev.drawbridge.broker.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;

/** Byte fixtures written as hex with a {@code #} comment per field. */
final class Hex {

    private Hex() {}

    static byte[] bytes(String hexWithComments) {
        StringBuilder digits = new StringBuilder();
        for (String line : hexWithComments.split("\n", -1)) {
            int hash = line.indexOf('#');
            digits.append((hash >= 0 ? line.substring(0, hash) : line).replaceAll("\\s+", ""));
        }
        return HexFormat.of().parseHex(digits);
    }

    static ByteBuf buffer(String hexWithComments) {
        return Unpooled.wrappedBuffer(bytes(hexWithComments));
    }
}
