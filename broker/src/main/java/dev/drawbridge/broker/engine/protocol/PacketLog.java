package dev.drawbridge.broker.engine.protocol;

import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;

/**
 * The packet lines of {@code -v} / {@code log_type debug}, in Mosquitto's words ("Received PUBLISH from garage (d0,
 * q1, r0, m3, 'garage/cmd', ... (4 bytes))"), so that existing greps keep working. Never the payload or a password.
 */
final class PacketLog {

    private PacketLog() {}

    static void received(Connection connection, MqttMessage message) {
        switch (message.fixedHeader().messageType()) {
            case CONNECT ->
                Connection.LOG.debug(
                        "Received CONNECT from {}",
                        ((MqttConnectMessage) message).payload().clientIdentifier());
            case PUBLISH -> {
                MqttPublishMessage publish = (MqttPublishMessage) message;
                var h = publish.fixedHeader();
                Connection.LOG.debug(
                        "Received PUBLISH from {} (d{}, q{}, r{}, m{}, '{}', ... ({} bytes))",
                        connection.clientId,
                        h.isDup() ? 1 : 0,
                        h.qosLevel().value(),
                        h.isRetain() ? 1 : 0,
                        publish.variableHeader().packetId(),
                        publish.variableHeader().topicName(),
                        publish.payload().readableBytes());
            }
            default -> {
                if (message.variableHeader() instanceof MqttMessageIdVariableHeader id) {
                    Connection.LOG.debug(
                            "Received {} from {} (Mid: {})",
                            message.fixedHeader().messageType(),
                            connection.clientId,
                            id.messageId());
                } else {
                    Connection.LOG.debug(
                            "Received {} from {}", message.fixedHeader().messageType(), connection.clientId);
                }
            }
        }
    }
}
