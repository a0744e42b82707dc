package dev.drawbridge.broker.it.hostile;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/**
 * Generators of MQTT 3.1.1 client packets for {@link PacketSequenceFuzzIT}: mostly well-formed ones with random fields
 * (ids that collide, topics and filters with wildcards, wills, sessions that come back), some with a string that is
 * not valid UTF-8 or whose length lies, and the broken packets of {@link BrokenPackets}; each sometimes written in
 * several pieces. Everything shrinks towards short, plain packets.
 */
final class FuzzPackets {

    /** Topic levels; none starts with "check", which the normal client after each sequence uses. */
    private static final List<String> LEVELS = List.of("a", "b", "fuzz", "dev", "ü", "", "$SYS", "x y");

    /** Byte sequences a strict UTF-8 decoder refuses (MQTT-1.5.3-1, -2), and U+FFFF which it may accept. */
    private static final List<String> BAD_UTF8 = List.of(
            "00", // U+0000
            "c0 80", // overlong U+0000
            "ed a0 80", // UTF-16 surrogate U+D800
            "ed bf bf", // surrogate U+DFFF
            "f4 90 80 80", // above U+10FFFF
            "ff",
            "fe",
            "80", // continuation byte alone
            "e2 82", // truncated three-byte sequence
            "e0 80 af", // overlong '/'
            "ef bf bf"); // U+FFFF, a noncharacter

    private FuzzPackets() {}

    /** A connection's packets: most start with a CONNECT, as a client's must. */
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

    /** Any packet, well-formed or not, sometimes split at random byte boundaries. */
    static Arbitrary<FuzzPacket> any(int remainingLengthLimit) {
        return sometimesSplit(weighted(
                Tuple.of(14, valid()),
                Tuple.of(5, BrokenPackets.mutated()),
                Tuple.of(1, BrokenPackets.randomBytes()),
                Tuple.of(1, BrokenPackets.hugeLength(remainingLengthLimit))));
    }

    /** The packets of {@code packet}, one in six written in two to four pieces cut at random. */
    static Arbitrary<FuzzPacket> sometimesSplit(Arbitrary<FuzzPacket> packet) {
        Arbitrary<List<Integer>> cuts = weighted(
                Tuple.of(5, Arbitraries.just(List.<Integer>of())),
                Tuple.of(
                        1,
                        Arbitraries.integers()
                                .between(0, 1 << 20)
                                .list()
                                .ofMinSize(1)
                                .ofMaxSize(3)));
        return Combinators.combine(packet, cuts).as(FuzzPacket::splitAt);
    }

    static Arbitrary<FuzzPacket> valid() {
        return weighted(
                Tuple.of(2, connect()),
                Tuple.of(3, subscribe()),
                Tuple.of(2, unsubscribe()),
                Tuple.of(6, publish()),
                Tuple.of(4, ack()),
                Tuple.of(1, Arbitraries.just(FuzzPacket.of("PINGREQ", Wire.PINGREQ))),
                Tuple.of(1, Arbitraries.just(FuzzPacket.of("DISCONNECT", Wire.DISCONNECT))));
    }

    // --- well-formed packets ----------------------------------------------------------------------------------------

    /** A string field: its bytes on the wire (length prefix included) and how a person reads it. */
    record Field(byte[] wire, String shown) {

        static Field of(String text) {
            return new Field(Wire.utf8(text), "'" + text + "'");
        }
    }

    static Arbitrary<FuzzPacket> connect() {
        Arbitrary<Tuple2<String, Integer>> protocol = weighted(
                Tuple.of(12, Arbitraries.just(Tuple.of("MQTT", 4))),
                Tuple.of(1, Arbitraries.just(Tuple.of("MQIsdp", 3))),
                Tuple.of(1, Arbitraries.integers().between(0, 255).map(level -> Tuple.of("MQTT", level))));
        Arbitrary<String> clientId = weighted(
                Tuple.of(8, Arbitraries.integers().between(0, 5).map(i -> "fuzz-" + i)),
                Tuple.of(
                        1,
                        Arbitraries.strings().alpha().numeric().ofMaxLength(30).map(s -> "fuzz" + s)),
                Tuple.of(1, Arbitraries.just("")));
        Arbitrary<Integer> keepalive = weighted(
                Tuple.of(4, Arbitraries.of(0, 60, 65535)),
                Tuple.of(1, Arbitraries.integers().between(1, 65535)));
        Arbitrary<Optional<Will>> will = weighted(
                Tuple.of(3, Arbitraries.just(Optional.empty())),
                Tuple.of(
                        1,
                        Combinators.combine(
                                        topicName(),
                                        payload(),
                                        Arbitraries.integers().between(0, 2),
                                        bool())
                                .as((topic, message, qos, retain) ->
                                        Optional.of(new Will(topic, message, qos, retain)))));
        Arbitrary<Optional<Field>> username = weighted(
                Tuple.of(3, Arbitraries.just(Optional.empty())),
                Tuple.of(1, string(alphaText()).optional()));
        return Combinators.combine(
                        protocol,
                        string(clientId),
                        bool(),
                        keepalive,
                        will,
                        username,
                        payload().optional())
                .as(FuzzPackets::connect);
    }

    record Will(Field topic, byte[] message, int qos, boolean retain) {}

    private static FuzzPacket connect(
            Tuple2<String, Integer> protocol,
            Field clientId,
            boolean clean,
            int keepalive,
            Optional<Will> will,
            Optional<Field> username,
            Optional<byte[]> password) {
        // A password needs a username (MQTT-3.1.2-22): only sent with one.
        Optional<byte[]> pass = username.isPresent() ? password : Optional.empty();
        int flags = (clean ? 0x02 : 0)
                | will.map(w -> 0x04 | w.qos() << 3 | (w.retain() ? 0x20 : 0)).orElse(0)
                | (username.isPresent() ? 0x80 : 0)
                | (pass.isPresent() ? 0x40 : 0);
        byte[] body = Wire.concat(
                Wire.utf8(protocol.get1()),
                new byte[] {(byte) (int) protocol.get2(), (byte) flags},
                Wire.u16(keepalive),
                clientId.wire(),
                will.map(w -> Wire.concat(w.topic().wire(), Wire.lengthPrefixed(w.message())))
                        .orElse(new byte[0]),
                username.map(Field::wire).orElse(new byte[0]),
                pass.map(Wire::lengthPrefixed).orElse(new byte[0]));
        String label = "CONNECT " + protocol.get1() + "/" + protocol.get2() + " id=" + clientId.shown() + " c"
                + (clean ? 1 : 0) + " k" + keepalive
                + will.map(w -> " will(q" + w.qos() + " r" + (w.retain() ? 1 : 0) + " "
                                + w.topic().shown() + ")")
                        .orElse("")
                + username.map(u -> " user=" + u.shown()).orElse("")
                + pass.map(p -> " pass").orElse("");
        return FuzzPacket.of(label, Wire.packet(0x10, body));
    }

    static Arbitrary<FuzzPacket> subscribe() {
        Arbitrary<Integer> qos = weighted(
                Tuple.of(12, Arbitraries.integers().between(0, 2)),
                Tuple.of(1, Arbitraries.integers().between(3, 255)));
        Arbitrary<Tuple2<Field, Integer>> entry =
                Combinators.combine(topicFilter(), qos).as(Tuple::of);
        return Combinators.combine(packetId(), entry.list().ofMinSize(1).ofMaxSize(3))
                .as((id, entries) -> {
                    List<byte[]> parts = new ArrayList<>(List.of(Wire.u16(id)));
                    StringBuilder label = new StringBuilder("SUBSCRIBE id=" + id);
                    for (Tuple2<Field, Integer> e : entries) {
                        parts.add(e.get1().wire());
                        parts.add(new byte[] {(byte) (int) e.get2()});
                        label.append(' ').append(e.get1().shown()).append(" q").append(e.get2());
                    }
                    return FuzzPacket.of(
                            label.toString(), Wire.packet(0x82, Wire.concat(parts.toArray(byte[][]::new))));
                });
    }

    static Arbitrary<FuzzPacket> unsubscribe() {
        return Combinators.combine(packetId(), topicFilter().list().ofMinSize(1).ofMaxSize(3))
                .as((id, filters) -> {
                    List<byte[]> parts = new ArrayList<>(List.of(Wire.u16(id)));
                    filters.forEach(f -> parts.add(f.wire()));
                    String label = "UNSUBSCRIBE id=" + id + " "
                            + String.join(
                                    " ", filters.stream().map(Field::shown).toList());
                    return FuzzPacket.of(label, Wire.packet(0xa2, Wire.concat(parts.toArray(byte[][]::new))));
                });
    }

    static Arbitrary<FuzzPacket> publish() {
        Arbitrary<Integer> qos = Arbitraries.integers().between(0, 2);
        Arbitrary<Boolean> dup = weighted(Tuple.of(6, Arbitraries.just(false)), Tuple.of(1, Arbitraries.just(true)));
        return Combinators.combine(qos, bool(), dup, topicName(), packetId(), payload())
                .as((q, retain, d, topic, id, payload) -> {
                    int first = 0x30 | (d ? 0x08 : 0) | q << 1 | (retain ? 1 : 0);
                    byte[] body = Wire.concat(topic.wire(), q > 0 ? Wire.u16(id) : new byte[0], payload);
                    String label = "PUBLISH q" + q + " r" + (retain ? 1 : 0) + (d ? " dup" : "")
                            + (q > 0 ? " id=" + id : "") + " " + topic.shown() + " payload=" + payload.length;
                    return FuzzPacket.of(label, Wire.packet(first, body));
                });
    }

    static Arbitrary<FuzzPacket> ack() {
        Arbitrary<Tuple2<String, Integer>> kind = Arbitraries.of(
                Tuple.of("PUBACK", 0x40),
                Tuple.of("PUBREC", 0x50),
                Tuple.of("PUBREL", 0x62),
                Tuple.of("PUBCOMP", 0x70));
        return Combinators.combine(kind, packetId())
                .as((k, id) -> FuzzPacket.of(k.get1() + " id=" + id, Wire.packet(k.get2(), Wire.u16(id))));
    }

    // --- fields -----------------------------------------------------------------------------------------------------

    /** Mostly small ids that collide with in-flight ones; sometimes any id, sometimes the invalid 0. */
    static Arbitrary<Integer> packetId() {
        return weighted(
                Tuple.of(10, Arbitraries.integers().between(1, 20)),
                Tuple.of(3, Arbitraries.integers().between(1, 65535)),
                Tuple.of(1, Arbitraries.just(0)));
    }

    static Arbitrary<Field> topicName() {
        Arbitrary<String> name = weighted(
                Tuple.of(
                        12,
                        Arbitraries.of(LEVELS).list().ofMinSize(1).ofMaxSize(4).map(l -> String.join("/", l))),
                Tuple.of(1, Arbitraries.of("a/+", "#", "a/#", "+", "")));
        return string(name);
    }

    static Arbitrary<Field> topicFilter() {
        Arbitrary<String> level = weighted(Tuple.of(4, Arbitraries.of(LEVELS)), Tuple.of(1, Arbitraries.just("+")));
        Arbitrary<String> filter = Combinators.combine(level.list().ofMaxSize(3), bool())
                .as((levels, hash) -> {
                    List<String> all = new ArrayList<>(levels);
                    if (hash) {
                        all.add("#");
                    }
                    return String.join("/", all);
                });
        Arbitrary<String> invalid = Arbitraries.of("a/#/b", "a+", "#/a", "a/b#", "++", "");
        return string(weighted(Tuple.of(12, filter), Tuple.of(1, invalid)));
    }

    /** A length-prefixed string: mostly the text, sometimes with invalid UTF-8 in it or a length that lies. */
    static Arbitrary<Field> string(Arbitrary<String> text) {
        Arbitrary<Field> garbage = Combinators.combine(text, Arbitraries.of(BAD_UTF8))
                .as((t, bad) -> {
                    byte[] content = Wire.concat(t.getBytes(UTF_8), Wire.bytes(bad));
                    return new Field(Wire.lengthPrefixed(content), "'" + t + "'+<" + bad + ">");
                });
        Arbitrary<Field> lying = Combinators.combine(text, Arbitraries.of(-2, -1, 1, 2, 100, 65535))
                .as((t, delta) -> {
                    byte[] content = t.getBytes(UTF_8);
                    int declared = Math.max(0, Math.min(65535, delta == 65535 ? delta : content.length + delta));
                    return new Field(
                            Wire.concat(Wire.u16(declared), content),
                            "'" + t + "' with length " + declared + " (is " + content.length + ")");
                });
        return weighted(Tuple.of(20, text.map(Field::of)), Tuple.of(2, garbage), Tuple.of(1, lying));
    }

    private static Arbitrary<String> alphaText() {
        return Arbitraries.strings().alpha().ofMaxLength(12);
    }

    private static Arbitrary<byte[]> payload() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(32);
    }

    private static Arbitrary<Boolean> bool() {
        return Arbitraries.of(false, true);
    }

    @SafeVarargs
    static <T> Arbitrary<T> weighted(Tuple2<Integer, Arbitrary<T>>... choices) {
        List<Tuple2<Integer, Arbitrary<T>>> list = new ArrayList<>();
        for (Tuple2<Integer, Arbitrary<T>> choice : choices) {
            list.add(choice);
        }
        return Arbitraries.frequencyOf(list);
    }
}
