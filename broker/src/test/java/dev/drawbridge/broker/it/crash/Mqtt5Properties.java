package dev.drawbridge.broker.it.crash;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * MQTT 5 properties (OASIS MQTT 5.0 section 2.2.2) as the crash tests write and read them: a property length
 * (variable byte integer), then identifier and value pairs. Values are kept as text to compare and print: numbers in
 * decimal, strings and binary data (the tests put only text there) as UTF-8, a user property as {@code key:value}.
 * Only the identifiers a PUBLISH, CONNACK, SUBACK, PUBACK or DISCONNECT may carry are known; any other is an error.
 */
record Mqtt5Properties(List<Property> list) {

    static final int PAYLOAD_FORMAT = 0x01;
    static final int MESSAGE_EXPIRY = 0x02;
    static final int CONTENT_TYPE = 0x03;
    static final int RESPONSE_TOPIC = 0x08;
    static final int CORRELATION_DATA = 0x09;
    static final int SUBSCRIPTION_IDENTIFIER = 0x0B;
    static final int SESSION_EXPIRY = 0x11;
    static final int USER_PROPERTY = 0x26;

    static final Mqtt5Properties NONE = new Mqtt5Properties(List.of());

    /** One property; {@code value} as described on the class. */
    record Property(int id, String value) {}

    Mqtt5Properties {
        list = List.copyOf(list);
    }

    /** The values of every property with this identifier, in the order they came. */
    List<String> all(int id) {
        return list.stream().filter(p -> p.id() == id).map(Property::value).toList();
    }

    Optional<String> first(int id) {
        return all(id).stream().findFirst();
    }

    /** These properties without the ones with identifier {@code id} (e.g. the expiry, compared as a range). */
    Mqtt5Properties without(int id) {
        return new Mqtt5Properties(list.stream().filter(p -> p.id() != id).toList());
    }

    Mqtt5Properties with(int id, String value) {
        List<Property> more = new ArrayList<>(list);
        more.add(new Property(id, value));
        return new Mqtt5Properties(more);
    }

    /** Property length and properties, ready to go into a packet. */
    byte[] encode() {
        ByteArrayOutputStream props = new ByteArrayOutputStream();
        for (Property p : list) {
            writeVarInt(props, p.id());
            switch (p.id()) {
                case PAYLOAD_FORMAT -> props.write(Integer.parseInt(p.value()));
                case MESSAGE_EXPIRY, SESSION_EXPIRY -> props.writeBytes(u32(Long.parseLong(p.value())));
                case SUBSCRIPTION_IDENTIFIER -> writeVarInt(props, Integer.parseInt(p.value()));
                case USER_PROPERTY -> {
                    int colon = p.value().indexOf(':');
                    props.writeBytes(string(p.value().substring(0, colon)));
                    props.writeBytes(string(p.value().substring(colon + 1)));
                }
                case CONTENT_TYPE, RESPONSE_TOPIC, CORRELATION_DATA -> props.writeBytes(string(p.value()));
                default -> throw new IllegalArgumentException("cannot encode property " + p.id());
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeVarInt(out, props.size());
        out.writeBytes(props.toByteArray());
        return out.toByteArray();
    }

    /** Properties read from {@code body} at {@code at}, and the offset just after them. */
    record Decoded(Mqtt5Properties properties, int end) {}

    static Decoded decode(byte[] body, int at) {
        int[] pos = {at};
        int length = readVarInt(body, pos);
        int end = pos[0] + length;
        List<Property> list = new ArrayList<>();
        while (pos[0] < end) {
            int id = readVarInt(body, pos);
            String value = switch (id) {
                case PAYLOAD_FORMAT, 0x17, 0x19, 0x24, 0x25, 0x28, 0x29, 0x2A ->
                    Integer.toString(body[pos[0]++] & 0xff);
                case 0x13, 0x21, 0x22, 0x23 -> Integer.toString(readU16(body, pos));
                case MESSAGE_EXPIRY, SESSION_EXPIRY, 0x18, 0x27 -> Long.toString(readU32(body, pos));
                case SUBSCRIPTION_IDENTIFIER -> Integer.toString(readVarInt(body, pos));
                case CONTENT_TYPE, RESPONSE_TOPIC, CORRELATION_DATA, 0x12, 0x15, 0x16, 0x1A, 0x1C, 0x1F ->
                    readString(body, pos);
                case USER_PROPERTY -> readString(body, pos) + ":" + readString(body, pos);
                default ->
                    throw new IllegalArgumentException("unknown property identifier " + id + " at " + (pos[0] - 1));
            };
            list.add(new Property(id, value));
        }
        if (pos[0] != end) {
            throw new IllegalArgumentException("properties run past their length " + length);
        }
        return new Decoded(new Mqtt5Properties(list), end);
    }

    static void writeVarInt(ByteArrayOutputStream out, int value) {
        int x = value;
        do {
            int digit = x % 128;
            x /= 128;
            out.write(x > 0 ? digit | 0x80 : digit);
        } while (x > 0);
    }

    private static int readVarInt(byte[] body, int[] pos) {
        int value = 0;
        int shift = 0;
        int digit;
        do {
            digit = body[pos[0]++] & 0xff;
            value |= (digit & 0x7f) << shift;
            shift += 7;
        } while ((digit & 0x80) != 0);
        return value;
    }

    private static int readU16(byte[] body, int[] pos) {
        int value = ((body[pos[0]] & 0xff) << 8) | (body[pos[0] + 1] & 0xff);
        pos[0] += 2;
        return value;
    }

    private static long readU32(byte[] body, int[] pos) {
        long value = ((long) readU16(body, pos) << 16) | readU16(body, pos);
        return value;
    }

    private static String readString(byte[] body, int[] pos) {
        int length = readU16(body, pos);
        String text = new String(body, pos[0], length, UTF_8);
        pos[0] += length;
        return text;
    }

    private static byte[] u32(long value) {
        return new byte[] {(byte) (value >> 24), (byte) (value >> 16), (byte) (value >> 8), (byte) value};
    }

    private static byte[] string(String text) {
        byte[] bytes = text.getBytes(UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 2);
        out.write(bytes.length >> 8);
        out.write(bytes.length);
        out.writeBytes(bytes);
        return out.toByteArray();
    }
}
