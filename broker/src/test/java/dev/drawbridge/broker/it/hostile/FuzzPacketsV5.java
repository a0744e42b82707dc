package dev.drawbridge.broker.it.hostile;

import static dev.drawbridge.broker.it.hostile.FuzzPackets.packetId;
import static dev.drawbridge.broker.it.hostile.FuzzPackets.string;
import static dev.drawbridge.broker.it.hostile.FuzzPackets.topicFilter;
import static dev.drawbridge.broker.it.hostile.FuzzPackets.topicName;
import static dev.drawbridge.broker.it.hostile.FuzzPackets.weighted;

import dev.drawbridge.broker.it.hostile.FuzzPackets.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators of MQTT 5 client packets for {@link PacketSequenceFuzzIT}: a level 5 CONNECT first, then PUBLISH,
 * SUBSCRIBE, UNSUBSCRIBE, acknowledgements, PINGREQ, DISCONNECT and AUTH with properties. Mostly the properties the
 * packet may carry with values in range; sometimes one from another packet, an unknown identifier, a value out of range
 * (topic alias 0, subscription identifier 0, receive maximum 0), a duplicate, a string that is not UTF-8 or whose length
 * lies, or a properties length that lies; plus {@link BrokenPackets}' breakage of any of them.
 */
final class FuzzPacketsV5 {

    private static final List<Integer> CONNECT = List.of(0x11, 0x21, 0x27, 0x22, 0x19, 0x17, 0x26);
    private static final List<Integer> WILL = List.of(0x18, 0x01, 0x02, 0x03, 0x08, 0x09, 0x26);
    private static final List<Integer> PUBLISH = List.of(0x01, 0x02, 0x23, 0x08, 0x09, 0x03, 0x26);
    private static final List<Integer> SUBSCRIBE = List.of(0x0b, 0x26);
    private static final List<Integer> UNSUBSCRIBE = List.of(0x26);
    private static final List<Integer> ACK = List.of(0x1f, 0x26);
    private static final List<Integer> DISCONNECT = List.of(0x11, 0x1f, 0x26, 0x1c);
    /** Every property identifier of MQTT 5 (section 2.2.2.2), and 0x7f, which is none. */
    private static final List<Integer> ANY = List.of(
            0x01, 0x02, 0x03, 0x08, 0x09, 0x0b, 0x11, 0x12, 0x13, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1c, 0x1f, 0x21,
            0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x7f);

    private FuzzPacketsV5() {}

    /** A connection's packets: most start with an MQTT 5 CONNECT. */
    static Arbitrary<PacketSequence> sequences(int maxPackets, int remainingLengthLimit) {
        Arbitrary<FuzzPacket> first = weighted(Tuple.of(9, connect()), Tuple.of(1, any(remainingLengthLimit)));
        return Combinators.combine(first, any(remainingLengthLimit).list().ofMaxSize(maxPackets - 1))
                .as((head, rest) -> {
                    List<FuzzPacket> all = new ArrayList<>();
                    all.add(head);
                    all.addAll(rest);
                    return new PacketSequence(all);
                });
    }

    static Arbitrary<FuzzPacket> any(int remainingLengthLimit) {
        return FuzzPackets.sometimesSplit(weighted(
                Tuple.of(14, valid()),
                Tuple.of(5, BrokenPackets.mutated(valid())),
                Tuple.of(1, BrokenPackets.randomBytes()),
                Tuple.of(1, BrokenPackets.hugeLength(remainingLengthLimit))));
    }

    static Arbitrary<FuzzPacket> valid() {
        return weighted(
                Tuple.of(1, connect()),
                Tuple.of(3, subscribe()),
                Tuple.of(2, unsubscribe()),
                Tuple.of(6, publish()),
                Tuple.of(4, ack()),
                Tuple.of(1, Arbitraries.just(FuzzPacket.of("PINGREQ", Wire.PINGREQ))),
                Tuple.of(1, disconnect()),
                Tuple.of(1, auth()));
    }

    // --- packets ------------------------------------------------------------------------------------------------

    static Arbitrary<FuzzPacket> connect() {
        Arbitrary<Field> clientId = string(weighted(
                Tuple.of(8, Arbitraries.integers().between(0, 5).map(i -> "fuzz5-" + i)),
                Tuple.of(1, Arbitraries.just(""))));
        Arbitrary<Optional<byte[]>> will = weighted(
                Tuple.of(3, Arbitraries.just(Optional.empty())),
                Tuple.of(
                        1,
                        Combinators.combine(properties(WILL), topicName(), payload())
                                .as((props, topic, message) -> Optional.of(
                                        Wire.concat(props.wire(), topic.wire(), Wire.lengthPrefixed(message))))));
        return Combinators.combine(
                        clientId,
                        Arbitraries.of(false, true),
                        Arbitraries.of(0, 5, 60, 65535),
                        properties(CONNECT),
                        will,
                        Arbitraries.integers().between(0, 2))
                .as((id, clean, keepalive, props, w, willQos) -> {
                    int flags =
                            (clean ? 0x02 : 0) | w.map(x -> 0x04 | willQos << 3).orElse(0);
                    byte[] body = Wire.concat(
                            Wire.utf8("MQTT"), // protocol name
                            new byte[] {5, (byte) flags}, // level 5
                            Wire.u16(keepalive),
                            props.wire(),
                            id.wire(),
                            w.orElse(new byte[0]));
                    String label = "CONNECT v5 id=" + id.shown() + " c" + (clean ? 1 : 0) + " k" + keepalive + " "
                            + props.shown() + w.map(x -> " will q" + willQos).orElse("");
                    return FuzzPacket.of(label, Wire.packet(0x10, body));
                });
    }

    static Arbitrary<FuzzPacket> publish() {
        Arbitrary<Field> topic = weighted(Tuple.of(6, topicName()), Tuple.of(1, Arbitraries.just(Field.of(""))));
        return Combinators.combine(
                        Arbitraries.integers().between(0, 2),
                        Arbitraries.of(false, true),
                        topic,
                        packetId(),
                        properties(PUBLISH),
                        payload())
                .as((q, retain, t, id, props, payload) -> {
                    byte[] body = Wire.concat(t.wire(), q > 0 ? Wire.u16(id) : new byte[0], props.wire(), payload);
                    String label = "PUBLISH v5 q" + q + " r" + (retain ? 1 : 0) + (q > 0 ? " id=" + id : "") + " "
                            + t.shown() + " " + props.shown() + " payload=" + payload.length;
                    return FuzzPacket.of(label, Wire.packet(0x30 | q << 1 | (retain ? 1 : 0), body));
                });
    }

    static Arbitrary<FuzzPacket> subscribe() {
        Arbitrary<Field> filter = weighted(
                Tuple.of(8, topicFilter()),
                Tuple.of(
                        2,
                        Arbitraries.of("$share/g/a", "$share/g/#", "$share/h/fuzz/+")
                                .map(Field::of)),
                Tuple.of(
                        1,
                        Arbitraries.of("$share//a", "$share/g", "$share/g+/a").map(Field::of)));
        // Options: QoS, no local (bit 2), retain as published (bit 3), retain handling (bits 4-5); sometimes any byte.
        Arbitrary<Integer> options = weighted(
                Tuple.of(
                        12,
                        Combinators.combine(
                                        Arbitraries.integers().between(0, 2),
                                        Arbitraries.integers().between(0, 1),
                                        Arbitraries.integers().between(0, 1),
                                        Arbitraries.integers().between(0, 2))
                                .as((q, nl, rap, rh) -> q | nl << 2 | rap << 3 | rh << 4)),
                Tuple.of(1, Arbitraries.integers().between(0, 255)));
        Arbitrary<byte[]> entry =
                Combinators.combine(filter, options).as((f, o) -> Wire.concat(f.wire(), new byte[] {(byte) (int) o}));
        return Combinators.combine(
                        packetId(),
                        properties(SUBSCRIBE),
                        entry.list().ofMinSize(1).ofMaxSize(3))
                .as((id, props, entries) -> {
                    List<byte[]> parts = new ArrayList<>(List.of(Wire.u16(id), props.wire()));
                    parts.addAll(entries);
                    return FuzzPacket.of(
                            "SUBSCRIBE v5 id=" + id + " " + props.shown() + " " + entries.size() + " filter(s)",
                            Wire.packet(0x82, Wire.concat(parts.toArray(byte[][]::new))));
                });
    }

    static Arbitrary<FuzzPacket> unsubscribe() {
        return Combinators.combine(
                        packetId(),
                        properties(UNSUBSCRIBE),
                        topicFilter().list().ofMinSize(1).ofMaxSize(3))
                .as((id, props, filters) -> {
                    List<byte[]> parts = new ArrayList<>(List.of(Wire.u16(id), props.wire()));
                    filters.forEach(f -> parts.add(f.wire()));
                    return FuzzPacket.of(
                            "UNSUBSCRIBE v5 id=" + id + " " + props.shown(),
                            Wire.packet(0xa2, Wire.concat(parts.toArray(byte[][]::new))));
                });
    }

    /** PUBACK, PUBREC, PUBREL or PUBCOMP: the id alone, with a reason code, or with a reason code and properties. */
    static Arbitrary<FuzzPacket> ack() {
        Arbitrary<Integer> kind = Arbitraries.of(0x40, 0x50, 0x62, 0x70);
        Arbitrary<Integer> reason =
                weighted(Tuple.of(4, Arbitraries.of(0x00, 0x10, 0x80, 0x87, 0x92)), Tuple.of(1, anyByte()));
        return Combinators.combine(kind, packetId(), Arbitraries.integers().between(0, 2), reason, properties(ACK))
                .as((k, id, form, r, props) -> {
                    byte[] body = switch (form) {
                        case 0 -> Wire.u16(id);
                        case 1 -> Wire.concat(Wire.u16(id), new byte[] {(byte) (int) r});
                        default -> Wire.concat(Wire.u16(id), new byte[] {(byte) (int) r}, props.wire());
                    };
                    return FuzzPacket.of(
                            "ack 0x" + Integer.toHexString(k) + " id=" + id
                                    + (form > 0 ? " rc=0x" + Integer.toHexString(r) : "")
                                    + (form > 1 ? " " + props.shown() : ""),
                            Wire.packet(k, body));
                });
    }

    static Arbitrary<FuzzPacket> disconnect() {
        Arbitrary<Integer> reason =
                weighted(Tuple.of(4, Arbitraries.of(0x00, 0x04, 0x80, 0x81, 0x8e)), Tuple.of(1, anyByte()));
        return Combinators.combine(Arbitraries.integers().between(0, 2), reason, properties(DISCONNECT))
                .as((form, r, props) -> {
                    byte[] body = switch (form) {
                        case 0 -> new byte[0];
                        case 1 -> new byte[] {(byte) (int) r};
                        default -> Wire.concat(new byte[] {(byte) (int) r}, props.wire());
                    };
                    return FuzzPacket.of(
                            "DISCONNECT v5" + (form > 0 ? " rc=0x" + Integer.toHexString(r) : "")
                                    + (form > 1 ? " " + props.shown() : ""),
                            Wire.packet(0xe0, body));
                });
    }

    /** AUTH, which no connection here asked for: empty, or continue authentication (0x18) with a method. */
    static Arbitrary<FuzzPacket> auth() {
        return Arbitraries.of(
                FuzzPacket.of("AUTH", Wire.bytes("f0 00")),
                FuzzPacket.of("AUTH 0x18 method 'x'", Wire.bytes("f0 06 18 04 15 0001 78")));
    }

    // --- properties ---------------------------------------------------------------------------------------------

    /** A properties block (length included) and how a person reads it. */
    record Properties(byte[] wire, String shown) {}

    /** Up to three properties (four with a duplicate), mostly from {@code allowed}; sometimes any, a duplicate, or a length that lies. */
    static Arbitrary<Properties> properties(List<Integer> allowed) {
        Arbitrary<Field> one = weighted(
                Tuple.of(12, Arbitraries.of(allowed).flatMap(FuzzPacketsV5::property)),
                Tuple.of(1, Arbitraries.of(ANY).flatMap(FuzzPacketsV5::property)));
        Arbitrary<Integer> lie = weighted(
                Tuple.of(20, Arbitraries.just(0)), Tuple.of(1, Arbitraries.of(-2, -1, 1, 2, 100, 268_435_455)));
        Arbitrary<Boolean> twice = weighted(Tuple.of(9, Arbitraries.just(false)), Tuple.of(1, Arbitraries.just(true)));
        return Combinators.combine(one.list().ofMaxSize(3), twice, lie).as((list, duplicate, delta) -> {
            List<Field> all = new ArrayList<>(list);
            if (duplicate && !all.isEmpty() && all.size() < 3) {
                all.add(all.get(0)); // a duplicate: fine for user properties, a protocol error otherwise
            }
            byte[] content = Wire.concat(all.stream().map(Field::wire).toArray(byte[][]::new));
            int declared = Math.max(0, content.length + delta);
            String shown = "props["
                    + String.join(",", all.stream().map(Field::shown).toList()) + "]"
                    + (delta != 0 ? " length " + declared + " (is " + content.length + ")" : "");
            return new Properties(Wire.concat(Wire.remainingLength(declared), content), shown);
        });
    }

    /** One property: its identifier, then a value of its type, mostly in range. */
    static Arbitrary<Field> property(int id) {
        byte[] identifier = Wire.remainingLength(id);
        Arbitrary<byte[]> value = switch (id) {
            case 0x01, 0x17, 0x19, 0x24, 0x25, 0x28, 0x29, 0x2a ->
                weighted(Tuple.of(6, Arbitraries.of(0, 1)), Tuple.of(1, anyByte()))
                        .map(v -> new byte[] {(byte) (int) v});
            case 0x13, 0x21, 0x22, 0x23 ->
                weighted(Tuple.of(8, Arbitraries.of(1, 2, 10, 20)), Tuple.of(1, Arbitraries.of(0, 11, 65535)))
                        .map(Wire::u16);
            case 0x02, 0x11, 0x18, 0x27 ->
                weighted(
                                Tuple.of(8, Arbitraries.of(1L, 5L, 60L, 100L, 65_536L)),
                                Tuple.of(1, Arbitraries.of(0L, 0xffffffffL)))
                        .map(FuzzPacketsV5::u32);
            case 0x0b ->
                weighted(Tuple.of(8, Arbitraries.of(1, 2, 3)), Tuple.of(1, Arbitraries.of(0, 268_435_455)))
                        .map(Wire::remainingLength);
            case 0x03, 0x08, 0x12, 0x15, 0x1a, 0x1c, 0x1f ->
                string(weighted(
                                Tuple.of(4, Arbitraries.of("a", "fuzz/r", "text/plain", "")),
                                Tuple.of(1, Arbitraries.of("a/#", "+"))))
                        .map(Field::wire);
            case 0x09, 0x16 -> payload().map(Wire::lengthPrefixed);
            case 0x26 ->
                Combinators.combine(string(Arbitraries.of("k", "", "key")), string(Arbitraries.of("v", "", "value")))
                        .as((k, v) -> Wire.concat(k.wire(), v.wire()));
            default -> Arbitraries.just(new byte[] {0});
        };
        return value.map(
                v -> new Field(Wire.concat(identifier, v), "0x" + Integer.toHexString(id) + "=" + Wire.hex(v)));
    }

    private static byte[] u32(long value) {
        return new byte[] {(byte) (value >> 24), (byte) (value >> 16), (byte) (value >> 8), (byte) value};
    }

    private static Arbitrary<Integer> anyByte() {
        return Arbitraries.integers().between(0, 255);
    }

    private static Arbitrary<byte[]> payload() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(32);
    }
}
