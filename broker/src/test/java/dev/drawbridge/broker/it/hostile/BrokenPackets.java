package dev.drawbridge.broker.it.hostile;

import static dev.drawbridge.broker.it.hostile.FuzzPackets.valid;
import static dev.drawbridge.broker.it.hostile.FuzzPackets.weighted;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators of broken packets for {@link PacketSequenceFuzzIT}: a well-formed packet with a flipped bit, another
 * first byte, a wrong or padded remaining length or its tail cut off; random bytes; a fixed header announcing more
 * than the broker takes. (Broken strings inside packets come from {@link FuzzPackets#string}.)
 */
final class BrokenPackets {

    private BrokenPackets() {}

    /** A well-formed MQTT 3.1.1 packet, then broken in one way. */
    static Arbitrary<FuzzPacket> mutated() {
        return mutated(valid());
    }

    /** A packet of {@code valid}, then broken in one way. */
    static Arbitrary<FuzzPacket> mutated(Arbitrary<FuzzPacket> valid) {
        Arbitrary<Integer> anywhere = Arbitraries.integers().between(0, 1 << 20);
        return weighted(
                Tuple.of(
                        3,
                        Combinators.combine(
                                        valid, anywhere, Arbitraries.integers().between(0, 7))
                                .as((p, at, bit) -> {
                                    byte[] b = p.bytes();
                                    int i = at % Math.min(b.length, 16);
                                    b[i] ^= (byte) (1 << bit);
                                    return FuzzPacket.of(
                                            "bit " + bit + " of byte " + i + " flipped in " + p.label(), b);
                                })),
                Tuple.of(
                        1,
                        Combinators.combine(valid, Arbitraries.integers().between(0, 255))
                                .as((p, first) -> {
                                    byte[] b = p.bytes();
                                    b[0] = (byte) (int) first;
                                    return FuzzPacket.of(
                                            "first byte " + Wire.hex(new byte[] {b[0]}) + " on " + p.label(), b);
                                })),
                Tuple.of(
                        2,
                        Combinators.combine(valid, Arbitraries.of(-3, -2, -1, 1, 2, 3, 100, 20_000))
                                .as((p, delta) -> {
                                    byte[] b = p.bytes();
                                    byte[] body = Wire.body(b);
                                    int length = Math.max(0, body.length + delta);
                                    return FuzzPacket.of(
                                            "remaining length " + length + " (is " + body.length + ") on " + p.label(),
                                            Wire.concat(new byte[] {b[0]}, Wire.remainingLength(length), body));
                                })),
                Tuple.of(2, Combinators.combine(valid, anywhere).as((p, at) -> {
                    byte[] b = p.bytes();
                    int keep = 1 + at % Math.max(1, b.length - 1);
                    return FuzzPacket.of(
                            "first " + keep + " of " + b.length + " bytes of " + p.label(), Wire.slice(b, 0, keep));
                })),
                Tuple.of(
                        1,
                        Combinators.combine(valid, Arbitraries.integers().between(1, 3))
                                .as((p, extra) -> {
                                    // The same length in more bytes than needed: 0x80 continuation digits in front.
                                    byte[] b = p.bytes();
                                    byte[] length = Wire.remainingLength(Wire.body(b).length);
                                    byte[] padded = new byte[Math.min(5, length.length + extra)];
                                    Arrays.fill(padded, (byte) 0x80);
                                    for (int i = 0; i < length.length && i < padded.length; i++) {
                                        padded[i] = (byte) (length[i] | 0x80);
                                    }
                                    padded[padded.length - 1] &= 0x7f;
                                    return FuzzPacket.of(
                                            "remaining length in " + padded.length + " bytes on " + p.label(),
                                            Wire.concat(new byte[] {b[0]}, padded, Wire.body(b)));
                                })));
    }

    static Arbitrary<FuzzPacket> randomBytes() {
        return Arbitraries.bytes()
                .array(byte[].class)
                .ofMinSize(1)
                .ofMaxSize(48)
                .map(b -> FuzzPacket.of("random bytes", b));
    }

    /** A fixed header that announces more than the broker takes, or a length in five bytes; a few body bytes. */
    static Arbitrary<FuzzPacket> hugeLength(int remainingLengthLimit) {
        Arbitrary<Integer> first = Arbitraries.of(0x10, 0x30, 0x32, 0x82, 0xa2, 0x40, 0xc0);
        Arbitrary<Integer> length = Arbitraries.of(remainingLengthLimit + 1, 2_097_152, 268_435_455, -1);
        return Combinators.combine(first, length, Arbitraries.integers().between(0, 8))
                .as((type, declared, n) -> {
                    byte[] lengthBytes = declared < 0 ? Wire.bytes("ff ff ff ff 7f") : Wire.remainingLength(declared);
                    byte[] body = new byte[n];
                    Arrays.fill(body, (byte) 'z');
                    String what = declared < 0 ? "a five-byte remaining length" : "remaining length " + declared;
                    return FuzzPacket.of(
                            what + " after " + Wire.hex(new byte[] {(byte) (int) type}) + ", " + n + " body bytes",
                            Wire.concat(new byte[] {(byte) (int) type}, lengthBytes, body));
                });
    }
}
