package dev.drawbridge.broker.net;

import dev.drawbridge.acl.topic.TopicSyntax;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import org.jspecify.annotations.Nullable;

/**
 * The MQTT 3.1.1 "MUST close" rules that Netty's decoder leaves to the broker, and the configured topic limits (the one
 * place where topics from clients are judged). Each check returns why the packet breaks the protocol or a limit, or
 * null when it is fine; the front handler closes the connection on any reason.
 */
final class PacketRules {

    private PacketRules() {}

    /** Why this packet from a client breaks the protocol or the topic limits, or null. */
    static @Nullable String violation(MqttMessage message, TopicLimits limits) {
        MqttMessageType type = message.fixedHeader().messageType();
        return switch (type) {
            case CONNECT -> connect((MqttConnectMessage) message, limits);
            case PUBLISH ->
                topicName(((MqttPublishMessage) message).variableHeader().topicName(), "PUBLISH topic", limits);
            case SUBSCRIBE -> subscribe((MqttSubscribeMessage) message, limits);
            case UNSUBSCRIBE -> unsubscribe((MqttUnsubscribeMessage) message, limits);
            case CONNACK, SUBACK, UNSUBACK, PINGRESP -> type + " is sent by servers only (MQTT-4.8.0-1)";
            default -> null;
        };
    }

    private static @Nullable String connect(MqttConnectMessage connect, TopicLimits limits) {
        var header = connect.variableHeader();
        if (header.hasPassword() && !header.hasUserName()) {
            return "a password without a username (MQTT-3.1.2-22)";
        }
        if (!header.isWillFlag()) {
            if (header.willQos() != 0 || header.isWillRetain()) {
                return "will QoS or will retain set without a will (MQTT-3.1.2-13, MQTT-3.1.2-15)";
            }
            return null;
        }
        if (header.willQos() > 2) {
            return "will QoS 3 (MQTT-3.1.2-14)";
        }
        String willTopic = connect.payload().willTopic();
        return willTopic == null ? "a will without a topic" : topicName(willTopic, "will topic", limits);
    }

    private static @Nullable String subscribe(MqttSubscribeMessage subscribe, TopicLimits limits) {
        if (subscribe.payload().topicSubscriptions().isEmpty()) {
            return "SUBSCRIBE without a filter (MQTT-3.8.3-3)";
        }
        for (MqttTopicSubscription subscription : subscribe.payload().topicSubscriptions()) {
            String reason = topicFilter(subscription.topicFilter(), limits);
            if (reason != null) {
                return reason;
            }
        }
        return null;
    }

    private static @Nullable String unsubscribe(MqttUnsubscribeMessage unsubscribe, TopicLimits limits) {
        if (unsubscribe.payload().topics().isEmpty()) {
            return "UNSUBSCRIBE without a filter (MQTT-3.10.3-2)";
        }
        for (String filter : unsubscribe.payload().topics()) {
            String reason = topicFilter(filter, limits);
            if (reason != null) {
                return reason;
            }
        }
        return null;
    }

    private static @Nullable String topicName(String topic, String what, TopicLimits limits) {
        if (topic.indexOf('\u0000') >= 0) {
            return what + " contains U+0000 (MQTT-1.5.3-2)";
        }
        String exceeded = limits.exceeded(topic);
        if (exceeded != null) {
            return what + " '" + shortened(topic) + "' has " + exceeded;
        }
        return TopicSyntax.isValidName(topic)
                ? null
                : what + " '" + shortened(topic) + "' is empty, has a wildcard, or is longer or deeper than allowed";
    }

    private static @Nullable String topicFilter(String filter, TopicLimits limits) {
        if (filter.indexOf('\u0000') >= 0) {
            return "topic filter contains U+0000 (MQTT-1.5.3-2)";
        }
        String exceeded = limits.exceeded(filter);
        if (exceeded != null) {
            return "topic filter '" + shortened(filter) + "' has " + exceeded;
        }
        return TopicSyntax.isValidFilter(filter)
                ? null
                : "topic filter '" + shortened(filter) + "' is not valid (MQTT-4.7.1, MQTT-4.7.3-1)";
    }

    private static String shortened(String topic) {
        return topic.length() <= 64 ? topic : topic.substring(0, 64) + "...";
    }
}
