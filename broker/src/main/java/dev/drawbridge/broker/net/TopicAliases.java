package dev.drawbridge.broker.net;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import org.jspecify.annotations.Nullable;

/**
 * The topic aliases one MQTT 5 client has set (MQTT 5 section 3.3.2.3.4): a PUBLISH with an alias and a topic sets it,
 * one with an alias and an empty topic uses it. Resolved before the topic is judged or checked against the ACL, so
 * every later step sees the real topic. Aliases live as long as the connection.
 */
final class TopicAliases {

    private static final int TOPIC_ALIAS = 0x23;

    /** Why a PUBLISH's alias was refused, with the MQTT 5 reason code its DISCONNECT carries. */
    record Refusal(String reason, int reasonCode) {}

    private final String[] topics;

    TopicAliases(int maximum) {
        this.topics = new String[maximum + 1];
    }

    /**
     * The PUBLISH with its real topic (the same object when it has no alias), or a refusal: alias 0 or above the
     * maximum (0x94), or an unknown alias with an empty topic (0x82), as Mosquitto answers.
     */
    Object resolve(MqttPublishMessage publish) {
        MqttPublishVariableHeader header = publish.variableHeader();
        MqttProperties.MqttProperty<?> property = header.properties().getProperty(TOPIC_ALIAS);
        if (!(property instanceof MqttProperties.IntegerProperty alias)) {
            return publish;
        }
        int id = alias.value();
        if (id <= 0 || id >= topics.length) {
            return new Refusal(
                    "topic alias " + id + " (allowed: 1 to " + (topics.length - 1) + ")",
                    ReasonCodes.TOPIC_ALIAS_INVALID);
        }
        String topic = header.topicName();
        if (!topic.isEmpty()) {
            topics[id] = topic;
            return publish;
        }
        @Nullable String known = topics[id];
        if (known == null) {
            return new Refusal(
                    "topic alias " + id + " with an empty topic before it was set", ReasonCodes.PROTOCOL_ERROR);
        }
        return new MqttPublishMessage(
                publish.fixedHeader(),
                new MqttPublishVariableHeader(known, header.packetId(), header.properties()),
                publish.payload());
    }
}
