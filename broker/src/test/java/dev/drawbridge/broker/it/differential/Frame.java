package dev.drawbridge.broker.it.differential;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * One whole MQTT 3.1 / 3.1.1 packet as it crossed the wire, and its fields as a person reads them: the harness compares
 * brokers by {@link #describe()}, so two packets that describe alike are the same packet.
 *
 * @param first the fixed header's first byte (type in the high nibble, flags in the low one)
 * @param body everything after the remaining length
 */
public record Frame(int first, byte[] body) {

    public static final int CONNACK = 2;
    public static final int PUBLISH = 3;
    public static final int PUBACK = 4;
    public static final int PUBREC = 5;
    public static final int PUBREL = 6;
    public static final int PUBCOMP = 7;
    public static final int SUBACK = 9;
    public static final int UNSUBACK = 11;
    public static final int PINGRESP = 13;

    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");
    // The spec's type names, kept here on purpose rather than taken from the broker's FrameRules: what a test prints
    // and compares must not come from the code under test.
    private static final String[] NAMES = {
        "RESERVED0",
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
        "AUTH"
    };

    public Frame {
        body = body.clone();
    }

    /** Cuts concatenated packets (as a script writes them) into frames; a truncated tail is an error. */
    public static List<Frame> split(byte[] bytes) {
        List<Frame> frames = new ArrayList<>();
        int at = 0;
        while (at < bytes.length) {
            int first = bytes[at++] & 0xff;
            int length = 0;
            int shift = 0;
            int digit;
            do {
                if (at >= bytes.length) {
                    throw new IllegalArgumentException("remaining length cut short at byte " + at);
                }
                digit = bytes[at++] & 0xff;
                length |= (digit & 0x7f) << shift;
                shift += 7;
            } while ((digit & 0x80) != 0);
            if (at + length > bytes.length) {
                throw new IllegalArgumentException(
                        "packet at byte " + at + " needs " + length + " bytes, " + (bytes.length - at) + " follow");
            }
            byte[] body = new byte[length];
            System.arraycopy(bytes, at, body, 0, length);
            frames.add(new Frame(first, body));
            at += length;
        }
        return frames;
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    public int type() {
        return first >> 4;
    }

    public int flags() {
        return first & 0x0f;
    }

    public int qos() {
        return (first >> 1) & 3;
    }

    public boolean dup() {
        return (first & 0x08) != 0;
    }

    public boolean retain() {
        return (first & 0x01) != 0;
    }

    /** CONNACK's return code. */
    public int returnCode() {
        return body.length >= 2 ? body[1] & 0xff : -1;
    }

    /** CONNACK's session present flag. */
    public boolean sessionPresent() {
        return body.length >= 1 && (body[0] & 1) != 0;
    }

    /** The packet id of an acknowledgement, SUBACK, UNSUBACK or PUBLISH QoS 1/2; -1 when there is none. */
    public int packetId() {
        if (type() == PUBLISH) {
            int end = 2 + topicLength();
            return qos() > 0 && body.length >= end + 2 ? u16(end) : -1;
        }
        return body.length >= 2 ? u16(0) : -1;
    }

    public String topic() {
        return type() == PUBLISH && body.length >= 2
                ? new String(body, 2, Math.min(topicLength(), body.length - 2), UTF_8)
                : "";
    }

    public byte[] payload() {
        if (type() != PUBLISH) {
            return new byte[0];
        }
        int start = Math.min(body.length, 2 + topicLength() + (qos() > 0 ? 2 : 0));
        byte[] payload = new byte[body.length - start];
        System.arraycopy(body, start, payload, 0, payload.length);
        return payload;
    }

    public String payloadText() {
        return new String(payload(), UTF_8);
    }

    /** SUBACK's return codes. */
    public List<Integer> returnCodes() {
        List<Integer> codes = new ArrayList<>();
        for (int i = 2; type() == SUBACK && i < body.length; i++) {
            codes.add(body[i] & 0xff);
        }
        return codes;
    }

    /** Type, flags and fields, e.g. {@code PUBLISH dup=1 q1 r0 id=3 topic='a/b' payload='on'}. */
    public String describe() {
        String name = NAMES[type()];
        return switch (type()) {
            case CONNACK ->
                name + flagsIfNot(0) + " sp=" + (sessionPresent() ? 1 : 0) + " rc=0x"
                        + String.format("%02x", returnCode()) + lengthIfNot(2);
            case PUBLISH ->
                name + " dup=" + (dup() ? 1 : 0) + " q" + qos() + " r" + (retain() ? 1 : 0)
                        + (qos() > 0 ? " id=" + packetId() : "") + " topic='" + topic() + "' payload="
                        + shown(payload());
            case PUBACK, PUBREC, PUBCOMP, UNSUBACK -> name + flagsIfNot(0) + " id=" + packetId() + lengthIfNot(2);
            case PUBREL -> name + flagsIfNot(2) + " id=" + packetId() + lengthIfNot(2);
            case SUBACK -> name + flagsIfNot(0) + " id=" + packetId() + " codes=" + codes();
            case PINGRESP -> name + flagsIfNot(0) + lengthIfNot(0);
            default -> name + " flags=" + Integer.toBinaryString(flags()) + " [" + HEX.formatHex(body) + "]";
        };
    }

    @Override
    public String toString() {
        return describe();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Frame f && f.first == first && java.util.Arrays.equals(f.body, body);
    }

    @Override
    public int hashCode() {
        return 31 * first + java.util.Arrays.hashCode(body);
    }

    private String codes() {
        return returnCodes().stream()
                .map(c -> String.format("0x%02x", c))
                .toList()
                .toString();
    }

    private String flagsIfNot(int expected) {
        return flags() == expected ? "" : " flags=" + Integer.toBinaryString(flags());
    }

    private String lengthIfNot(int expected) {
        return body.length == expected ? "" : " length=" + body.length;
    }

    private static String shown(byte[] payload) {
        Optional<String> text = printable(payload);
        if (text.isPresent()) {
            String t = text.get();
            return t.length() > 60 ? "'" + t.substring(0, 60) + "...' (" + payload.length + " bytes)" : "'" + t + "'";
        }
        return payload.length > 24
                ? "hex " + HEX.formatHex(payload, 0, 24) + "... (" + payload.length + " bytes)"
                : "hex " + HEX.formatHex(payload);
    }

    private static Optional<String> printable(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0x20 || b == 0x7f) {
                return Optional.empty();
            }
        }
        return Optional.of(new String(bytes, UTF_8));
    }

    private int topicLength() {
        return body.length >= 2 ? u16(0) : 0;
    }

    private int u16(int at) {
        return ((body[at] & 0xff) << 8) | (body[at + 1] & 0xff);
    }
}
