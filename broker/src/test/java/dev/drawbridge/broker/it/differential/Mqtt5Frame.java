package dev.drawbridge.broker.it.differential;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * A {@link Frame} read as MQTT 5 (OASIS MQTT 5.0), described for the differential transcripts: reason codes and every
 * property by name, in the order sent, so two brokers compare on what they said, including the order of forwarded user
 * properties. The one value a broker chooses freely, an assigned client identifier, is written as {@code <assigned>}.
 * Decoding is written here on purpose rather than taken from the broker: what a test compares must not come from the
 * code under test. A packet that does not parse is described by its bytes with {@code unparsed}.
 */
public final class Mqtt5Frame {

    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

    private Mqtt5Frame() {}

    /** Type, flags, fields, reason codes and properties, e.g. {@code PUBACK id=1 rc=0x10}. */
    public static String describe(Frame frame) {
        Reader r = new Reader(frame.body());
        try {
            String text = describe(frame, r);
            return r.left() == 0 ? text : text + " +" + r.left() + " bytes [" + HEX.formatHex(r.rest()) + "]";
        } catch (IndexOutOfBoundsException e) {
            return frame.describe() + " unparsed as MQTT 5 [" + HEX.formatHex(frame.body()) + "]";
        }
    }

    private static String describe(Frame frame, Reader r) {
        String flags = frame.flags() == expectedFlags(frame.type()) ? "" : " flags=" + bits(frame.flags());
        return switch (frame.type()) {
            case Frame.CONNACK -> {
                int ack = r.u8();
                int rc = r.u8();
                yield "CONNACK" + flags + " sp=" + (ack & 1) + (ack > 1 ? " ackflags=" + hex(ack) : "") + " rc="
                        + hex(rc) + (r.left() > 0 ? properties(r) : "");
            }
            case Frame.PUBLISH -> {
                String topic = r.string();
                String id = frame.qos() > 0 ? " id=" + r.u16() : "";
                String props = properties(r);
                yield "PUBLISH dup=" + (frame.dup() ? 1 : 0) + " q" + frame.qos() + " r" + (frame.retain() ? 1 : 0) + id
                        + " topic='" + topic + "'" + props + " payload=" + payload(r.rest());
            }
            case Frame.PUBACK, Frame.PUBREC, Frame.PUBREL, Frame.PUBCOMP -> {
                String text = name(frame.type()) + flags + " id=" + r.u16();
                if (r.left() > 0) {
                    text += " rc=" + hex(r.u8());
                }
                yield r.left() > 0 ? text + properties(r) : text;
            }
            case Frame.SUBACK, Frame.UNSUBACK -> {
                String text = name(frame.type()) + flags + " id=" + r.u16() + properties(r);
                List<String> codes = new ArrayList<>();
                while (r.left() > 0) {
                    codes.add(hex(r.u8()));
                }
                yield text + " codes=" + codes;
            }
            case 14, 15 -> {
                String text = name(frame.type()) + flags;
                if (r.left() > 0) {
                    text += " rc=" + hex(r.u8());
                }
                yield r.left() > 0 ? text + properties(r) : text;
            }
            default -> frame.describe();
        };
    }

    private static String properties(Reader r) {
        int length = r.variableByteInteger();
        int end = r.at + length;
        if (end > r.bytes.length) {
            throw new IndexOutOfBoundsException("properties past the packet");
        }
        if (length == 0) {
            return "";
        }
        List<String> out = new ArrayList<>();
        while (r.at < end) {
            int id = r.variableByteInteger();
            out.add(property(id, r));
        }
        return " props" + out;
    }

    private static String property(int id, Reader r) {
        return switch (id) {
            case 0x01 -> "payload-format=" + r.u8();
            case 0x02 -> "message-expiry=" + r.u32();
            case 0x03 -> "content-type='" + r.string() + "'";
            case 0x08 -> "response-topic='" + r.string() + "'";
            case 0x09 -> "correlation-data=" + binary(r);
            case 0x0B -> "subscription-id=" + r.variableByteInteger();
            case 0x11 -> "session-expiry=" + r.u32();
            case 0x12 -> {
                r.string();
                yield "assigned-client-id=<assigned>";
            }
            case 0x13 -> "server-keep-alive=" + r.u16();
            case 0x15 -> "auth-method='" + r.string() + "'";
            case 0x16 -> "auth-data=" + binary(r);
            case 0x17 -> "request-problem-info=" + r.u8();
            case 0x18 -> "will-delay=" + r.u32();
            case 0x19 -> "request-response-info=" + r.u8();
            case 0x1A -> "response-info='" + r.string() + "'";
            case 0x1C -> "server-reference='" + r.string() + "'";
            case 0x1F -> "reason-string='" + r.string() + "'";
            case 0x21 -> "receive-maximum=" + r.u16();
            case 0x22 -> "topic-alias-maximum=" + r.u16();
            case 0x23 -> "topic-alias=" + r.u16();
            case 0x24 -> "maximum-qos=" + r.u8();
            case 0x25 -> "retain-available=" + r.u8();
            case 0x26 -> "user-property='" + r.string() + "'='" + r.string() + "'";
            case 0x27 -> "maximum-packet-size=" + r.u32();
            case 0x28 -> "wildcard-available=" + r.u8();
            case 0x29 -> "subscription-id-available=" + r.u8();
            case 0x2A -> "shared-available=" + r.u8();
            default -> throw new IndexOutOfBoundsException("unknown property " + id);
        };
    }

    private static String binary(Reader r) {
        int length = r.u16();
        return "hex[" + HEX.formatHex(r.take(length)) + "]";
    }

    private static String payload(byte[] payload) {
        for (byte b : payload) {
            if (b < 0x20 || b == 0x7f) {
                return "hex " + HEX.formatHex(payload);
            }
        }
        return "'" + new String(payload, UTF_8) + "'";
    }

    private static int expectedFlags(int type) {
        return type == Frame.PUBREL ? 2 : 0;
    }

    private static String name(int type) {
        return switch (type) {
            case Frame.PUBACK -> "PUBACK";
            case Frame.PUBREC -> "PUBREC";
            case Frame.PUBREL -> "PUBREL";
            case Frame.PUBCOMP -> "PUBCOMP";
            case Frame.SUBACK -> "SUBACK";
            case Frame.UNSUBACK -> "UNSUBACK";
            case 14 -> "DISCONNECT";
            default -> "AUTH";
        };
    }

    private static String hex(int b) {
        return String.format(Locale.ROOT, "0x%02x", b);
    }

    private static String bits(int flags) {
        return Integer.toBinaryString(flags);
    }

    /** Reads a body front to back; running past its end throws {@link IndexOutOfBoundsException}. */
    private static final class Reader {
        private final byte[] bytes;
        private int at;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        int left() {
            return bytes.length - at;
        }

        int u8() {
            if (at >= bytes.length) {
                throw new IndexOutOfBoundsException("past the packet");
            }
            return bytes[at++] & 0xff;
        }

        int u16() {
            return (u8() << 8) | u8();
        }

        long u32() {
            return ((long) u16() << 16) | u16();
        }

        int variableByteInteger() {
            int value = 0;
            for (int i = 0; i < 4; i++) {
                int digit = u8();
                value |= (digit & 0x7f) << (7 * i);
                if ((digit & 0x80) == 0) {
                    return value;
                }
            }
            throw new IndexOutOfBoundsException("variable byte integer over four bytes");
        }

        byte[] take(int length) {
            if (length > left()) {
                throw new IndexOutOfBoundsException("past the packet");
            }
            byte[] out = new byte[length];
            System.arraycopy(bytes, at, out, 0, length);
            at += length;
            return out;
        }

        String string() {
            return new String(take(u16()), UTF_8);
        }

        byte[] rest() {
            return take(left());
        }
    }
}
