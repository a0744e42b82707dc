package dev.drawbridge.broker.net;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The MQTT 5 properties a client may send (OASIS MQTT 5.0 section 2.2.2.2), judged on the raw bytes: the properties
 * length fits its packet, each identifier is known and allowed where it stands, each value fits and has its type's
 * form (strings strict UTF-8, both halves of a user property too), nothing but user properties comes twice, and the
 * values the spec bounds are in range. The spec's wording decides the kind of each fault: an identifier that is not
 * valid for its packet, or a value not of its type, is a Malformed Packet; a duplicate or a value out of range is a
 * Protocol Error.
 */
final class Mqtt5Properties {

    /** Where a client's packet carries properties; PUBACK, PUBREC, PUBREL and PUBCOMP share one set. */
    enum Place {
        CONNECT("CONNECT"),
        WILL("the will properties"),
        PUBLISH("PUBLISH"),
        ACKNOWLEDGEMENT("PUBACK, PUBREC, PUBREL or PUBCOMP"),
        SUBSCRIBE("SUBSCRIBE"),
        UNSUBSCRIBE("UNSUBSCRIBE"),
        DISCONNECT("DISCONNECT"),
        AUTH("AUTH");

        private final String text;

        Place(String text) {
            this.text = text;
        }
    }

    private enum Type {
        BYTE,
        TWO_BYTE_INTEGER,
        FOUR_BYTE_INTEGER,
        VARIABLE_BYTE_INTEGER,
        STRING,
        BINARY,
        STRING_PAIR
    }

    private record Property(int id, String name, Type type, Set<Place> places) {}

    static final int SUBSCRIPTION_IDENTIFIER = 0x0B;
    static final int AUTHENTICATION_METHOD = 0x15;
    static final int AUTHENTICATION_DATA = 0x16;
    static final int TOPIC_ALIAS = 0x23;
    static final int USER_PROPERTY = 0x26;

    private static final Set<Place> NOWHERE = EnumSet.noneOf(Place.class);
    private static final Set<Place> MESSAGE = EnumSet.of(Place.PUBLISH, Place.WILL);
    private static final Property[] BY_ID = new Property[0x2B];

    static {
        define(0x01, "payload format indicator", Type.BYTE, MESSAGE);
        define(0x02, "message expiry interval", Type.FOUR_BYTE_INTEGER, MESSAGE);
        define(0x03, "content type", Type.STRING, MESSAGE);
        define(0x08, "response topic", Type.STRING, MESSAGE);
        define(0x09, "correlation data", Type.BINARY, MESSAGE);
        // In a PUBLISH from a client it is a Protocol Error of its own (MQTT-3.3.4-6), judged below.
        define(
                SUBSCRIPTION_IDENTIFIER,
                "subscription identifier",
                Type.VARIABLE_BYTE_INTEGER,
                EnumSet.of(Place.SUBSCRIBE));
        define(0x11, "session expiry interval", Type.FOUR_BYTE_INTEGER, EnumSet.of(Place.CONNECT, Place.DISCONNECT));
        define(0x12, "assigned client identifier", Type.STRING, NOWHERE);
        define(0x13, "server keep alive", Type.TWO_BYTE_INTEGER, NOWHERE);
        define(AUTHENTICATION_METHOD, "authentication method", Type.STRING, EnumSet.of(Place.CONNECT, Place.AUTH));
        define(AUTHENTICATION_DATA, "authentication data", Type.BINARY, EnumSet.of(Place.CONNECT, Place.AUTH));
        define(0x17, "request problem information", Type.BYTE, EnumSet.of(Place.CONNECT));
        define(0x18, "will delay interval", Type.FOUR_BYTE_INTEGER, EnumSet.of(Place.WILL));
        define(0x19, "request response information", Type.BYTE, EnumSet.of(Place.CONNECT));
        define(0x1A, "response information", Type.STRING, NOWHERE);
        define(0x1C, "server reference", Type.STRING, EnumSet.of(Place.DISCONNECT));
        define(0x1F, "reason string", Type.STRING, EnumSet.of(Place.ACKNOWLEDGEMENT, Place.DISCONNECT, Place.AUTH));
        define(0x21, "receive maximum", Type.TWO_BYTE_INTEGER, EnumSet.of(Place.CONNECT));
        define(0x22, "topic alias maximum", Type.TWO_BYTE_INTEGER, EnumSet.of(Place.CONNECT));
        define(TOPIC_ALIAS, "topic alias", Type.TWO_BYTE_INTEGER, EnumSet.of(Place.PUBLISH));
        define(0x24, "maximum QoS", Type.BYTE, NOWHERE);
        define(0x25, "retain available", Type.BYTE, NOWHERE);
        define(USER_PROPERTY, "user property", Type.STRING_PAIR, EnumSet.allOf(Place.class));
        define(0x27, "maximum packet size", Type.FOUR_BYTE_INTEGER, EnumSet.of(Place.CONNECT));
        define(0x28, "wildcard subscription available", Type.BYTE, NOWHERE);
        define(0x29, "subscription identifier available", Type.BYTE, NOWHERE);
        define(0x2A, "shared subscription available", Type.BYTE, NOWHERE);
    }

    private Mqtt5Properties() {}

    private static void define(int id, String name, Type type, Set<Place> places) {
        BY_ID[id] = new Property(id, name, type, places);
    }

    /**
     * Reads a properties length and the properties it covers, and judges them for {@code place}.
     *
     * @return a bit per property identifier seen (bit {@code 1L << id}), or -1 with {@link PacketFields#problem()} set
     */
    static long read(PacketFields f, Place place) {
        int length = f.variableByteInteger("properties length of " + place.text);
        if (length < 0) {
            return -1;
        }
        if (length > f.left()) {
            f.fail("properties length " + length + " of " + place.text + " runs past the end of the packet ("
                    + PacketFields.count(f.left()) + " left) (MQTT 2.2.2.1)");
            return -1;
        }
        int outer = f.confine(length, "the properties of " + place.text);
        long seen = 0;
        while (f.left() > 0) {
            int id = f.variableByteInteger("property identifier");
            if (id < 0) {
                return -1;
            }
            Property property = id < BY_ID.length ? BY_ID[id] : null;
            if (property == null) {
                f.fail("unknown property identifier " + hex(id) + " in " + place.text + " (MQTT 2.2.2.2)");
                return -1;
            }
            String problem = placeProblem(property, place);
            if (problem != null) {
                f.fail(problem);
                return -1;
            }
            if (id == SUBSCRIPTION_IDENTIFIER && place == Place.PUBLISH) {
                f.protocolError("a PUBLISH from a client with a subscription identifier (MQTT-3.3.4-6)");
                return -1;
            }
            if ((seen & (1L << id)) != 0 && id != USER_PROPERTY) {
                f.protocolError(
                        property.name + " (" + hex(id) + ") more than once in " + place.text + " (MQTT 2.2.2.2)");
                return -1;
            }
            seen |= 1L << id;
            if (!value(f, property, place)) {
                return -1;
            }
        }
        f.release(outer);
        return seen;
    }

    private static @Nullable String placeProblem(Property property, Place place) {
        if (property.places.contains(place) || (property.id == SUBSCRIPTION_IDENTIFIER && place == Place.PUBLISH)) {
            return null;
        }
        return property.name + " (" + hex(property.id) + ") is not allowed in " + place.text
                + (property.places.isEmpty() ? ": a server sends it" : "") + " (MQTT 2.2.2.2)";
    }

    private static boolean value(PacketFields f, Property property, Place place) {
        String what = property.name;
        switch (property.type) {
            case STRING -> {
                return f.string(what) && (property.id != 0x08 || noWildcards(f));
            }
            case BINARY -> {
                return f.binary(what);
            }
            case STRING_PAIR -> {
                return f.string(what + " name") && f.string(what + " value");
            }
            case VARIABLE_BYTE_INTEGER -> {
                int value = f.variableByteInteger(what);
                // Mosquitto 2.0 answers a value it cannot take in a property as a malformed packet (0x81).
                return value >= 0 && (value != 0 || f.fail(what + " 0 (MQTT 3.8.2.1.2)"));
            }
            default -> {
                int bytes = property.type == Type.BYTE ? 1 : property.type == Type.TWO_BYTE_INTEGER ? 2 : 4;
                long value = f.unsigned(what, bytes);
                return value >= 0 && inRange(f, property, value, place);
            }
        }
    }

    private static boolean inRange(PacketFields f, Property property, long value, Place place) {
        String clause = switch (property.id) {
            case 0x01 -> value > 1 ? "MQTT 3.3.2.3.2" : null;
            case 0x17, 0x19 -> value > 1 ? "MQTT 3.1.2.11" : null;
            case 0x21 -> value == 0 ? "MQTT 3.1.2.11.3" : null;
            case 0x27 -> value == 0 ? "MQTT 3.1.2.11.4" : null;
            case TOPIC_ALIAS -> value == 0 ? "MQTT-3.3.2-8" : null;
            default -> null;
        };
        if (clause == null) {
            return true;
        }
        String why = property.name + " " + value + " in " + place.text + " (" + clause + ")";
        // Topic alias 0 is a malformed packet to Mosquitto 2.0 (DISCONNECT 0x81), as every bad PUBLISH property is.
        return property.id == TOPIC_ALIAS ? f.fail(why) : f.protocolError(why);
    }

    /** A response topic is a topic name: no wildcards (MQTT-3.3.2-14). */
    private static boolean noWildcards(PacketFields f) {
        int from = f.at() - f.lastLength();
        for (int i = from; i < f.at(); i++) {
            int b = f.packet.getUnsignedByte(i);
            if (b == '+' || b == '#') {
                return f.protocolError("response topic with a wildcard (MQTT-3.3.2-14)");
            }
        }
        return true;
    }

    static String hex(int b) {
        return String.format(Locale.ROOT, "0x%02X", b);
    }
}
