package dev.drawbridge.broker.net;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import org.jspecify.annotations.Nullable;

/**
 * The listener's MQTT 5 reason codes (MQTT 5 section 2.4): those it sends, MQTT 3.1.1's CONNACK codes in MQTT 5, and
 * those a client may send in each packet that carries one (OASIS MQTT 5.0 tables 3.4.2.1, 3.5.2.1, 3.6.2.1, 3.7.2.1,
 * 3.14.2.1 and 3.15.2.1; DISCONNECT's are those the spec marks as sent by a client or by either side).
 */
final class ReasonCodes {

    /** Close without a DISCONNECT, where Mosquitto 2.0 sends none (a second CONNECT, an AUTH). */
    static final int NO_DISCONNECT = -1;

    static final int MALFORMED_PACKET = 0x81;
    static final int PROTOCOL_ERROR = 0x82;
    static final int NOT_AUTHORIZED = 0x87;
    static final int PACKET_TOO_LARGE = 0x95;
    static final int TOPIC_ALIAS_INVALID = 0x94;
    static final int RETAIN_NOT_SUPPORTED = 0x9A;
    static final int QOS_NOT_SUPPORTED = 0x9B;
    static final int SERVER_SHUTTING_DOWN = 0x8B;

    private static final int[] PUBACK_PUBREC = {0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99};
    private static final int[] PUBREL_PUBCOMP = {0x00, 0x92};
    private static final int[] DISCONNECT = {
        0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99
    };
    private static final int[] AUTH = {0x00, 0x18, 0x19};

    private ReasonCodes() {}

    /** The MQTT 5 CONNACK reason code for an MQTT 3.1.1 return code (MQTT 5 section 3.2.2.2), as Mosquitto maps them. */
    static MqttConnectReturnCode connAck(MqttConnectReturnCode code) {
        return switch (code) {
            case CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION ->
                MqttConnectReturnCode.CONNECTION_REFUSED_UNSUPPORTED_PROTOCOL_VERSION;
            case CONNECTION_REFUSED_IDENTIFIER_REJECTED ->
                MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID;
            case CONNECTION_REFUSED_SERVER_UNAVAILABLE -> MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5;
            case CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD ->
                MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD;
            case CONNECTION_REFUSED_NOT_AUTHORIZED -> MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5;
            default -> code;
        };
    }

    /**
     * The reason string of a refusing MQTT 5 CONNACK: one fixed text per reason code, the code's name in the MQTT 5
     * table (section 3.2.2.2), so it never says which check failed (whether a user exists, what a password or an ACL
     * held). Null for a code that is not a CONNACK refusal.
     */
    static @Nullable String connAckReasonString(int code) {
        return switch (code) {
            case 0x80 -> "unspecified error";
            case 0x81 -> "malformed packet";
            case 0x82 -> "protocol error";
            case 0x83 -> "implementation specific error";
            case 0x84 -> "unsupported protocol version";
            case 0x85 -> "client identifier not valid";
            case 0x86 -> "bad user name or password";
            case 0x87 -> "not authorized";
            case 0x88 -> "server unavailable";
            case 0x89 -> "server busy";
            case 0x8A -> "banned";
            case 0x8C -> "bad authentication method";
            case 0x90 -> "topic name invalid";
            case 0x95 -> "packet too large";
            case 0x97 -> "quota exceeded";
            case 0x99 -> "payload format invalid";
            case 0x9A -> "retain not supported";
            case 0x9B -> "QoS not supported";
            case 0x9C -> "use another server";
            case 0x9D -> "server moved";
            case 0x9F -> "connection rate exceeded";
            default -> null;
        };
    }

    /** Whether a client may send this reason code in a packet of this type (4-7, 14 or 15). */
    static boolean allowed(int type, int code) {
        int[] codes = switch (type) {
            case 4, 5 -> PUBACK_PUBREC;
            case 6, 7 -> PUBREL_PUBCOMP;
            case 14 -> DISCONNECT;
            case 15 -> AUTH;
            default -> new int[0];
        };
        for (int allowed : codes) {
            if (allowed == code) {
                return true;
            }
        }
        return false;
    }
}
