package dev.drawbridge.broker.net;

import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;

/** Acknowledgements the front handler answers itself, for packets it keeps from the MQTT core. */
final class Acks {

    private Acks() {}

    static MqttMessage pubRec(int packetId) {
        return new MqttMessage(
                new MqttFixedHeader(MqttMessageType.PUBREC, false, MqttQoS.AT_MOST_ONCE, false, 2),
                MqttMessageIdVariableHeader.from(packetId));
    }
}
