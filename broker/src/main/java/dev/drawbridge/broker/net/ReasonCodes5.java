package dev.drawbridge.broker.net;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;

/** The MQTT 5 reason codes the listener layer sends (MQTT 5 section 2.4), and MQTT 3.1.1's CONNACK codes in MQTT 5. */
final class ReasonCodes5 {

    /** Close without a DISCONNECT, where Mosquitto 2.0 sends none (a second CONNECT, an AUTH). */
    static final int NO_DISCONNECT = -1;

    static final int MALFORMED_PACKET = 0x81;
    static final int PROTOCOL_ERROR = 0x82;
    static final int NOT_AUTHORIZED = 0x87;
    static final int PACKET_TOO_LARGE = 0x95;
    static final int TOPIC_ALIAS_INVALID = 0x94;
    static final int RETAIN_NOT_SUPPORTED = 0x9A;

    private ReasonCodes5() {}

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
}
