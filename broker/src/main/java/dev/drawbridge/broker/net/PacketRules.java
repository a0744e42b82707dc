package dev.drawbridge.broker.net;

import dev.drawbridge.acl.topic.TopicSyntax;
import dev.drawbridge.broker.engine.topic.SharedFilter;
import dev.drawbridge.broker.engine.topic.TopicFilters;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import org.jspecify.annotations.Nullable;

/**
 * The MQTT 3.1.1 "MUST close" rules on decoded packets: topic names without wildcards, valid filters (a shared
 * subscription's group and filter included), within the configured topic limits (the one place where topics from clients are judged). Everything that can be judged on the
 * raw bytes (flags, lengths, UTF-8, QoS values, packet ids) has been by {@link FrameRules} before decoding. Each check
 * returns why the packet breaks the protocol or a limit, or null when it is fine; the front handler closes the
 * connection on any reason.
 */
final class PacketRules {

    private PacketRules() {}

    /** Why this packet from a client breaks the protocol or the topic limits, or null. */
    static @Nullable String violation(MqttMessage message, TopicLimits limits) {
        return switch (message.fixedHeader().messageType()) {
            case CONNECT -> connect((MqttConnectMessage) message, limits);
            case PUBLISH ->
                topicName(((MqttPublishMessage) message).variableHeader().topicName(), "PUBLISH topic", limits);
            case SUBSCRIBE -> subscribe((MqttSubscribeMessage) message, limits);
            case UNSUBSCRIBE -> unsubscribe((MqttUnsubscribeMessage) message, limits);
            default -> null;
        };
    }

    private static @Nullable String connect(MqttConnectMessage connect, TopicLimits limits) {
        if (!connect.variableHeader().isWillFlag()) {
            return null;
        }
        String willTopic = connect.payload().willTopic();
        return willTopic == null ? "a will without a topic" : topicName(willTopic, "will topic", limits);
    }

    private static @Nullable String subscribe(MqttSubscribeMessage subscribe, TopicLimits limits) {
        for (MqttTopicSubscription subscription : subscribe.payload().topicSubscriptions()) {
            String reason = topicFilter(subscription.topicFilter(), limits);
            if (reason != null) {
                return reason;
            }
        }
        return null;
    }

    private static @Nullable String unsubscribe(MqttUnsubscribeMessage unsubscribe, TopicLimits limits) {
        for (String filter : unsubscribe.payload().topics()) {
            String reason = topicFilter(filter, limits);
            if (reason != null) {
                return reason;
            }
        }
        return null;
    }

    private static @Nullable String topicName(String topic, String what, TopicLimits limits) {
        String exceeded = limits.exceeded(topic);
        if (exceeded != null) {
            return what + " '" + shortened(topic) + "' has " + exceeded;
        }
        return TopicSyntax.isValidName(topic)
                ? null
                : what + " '" + shortened(topic) + "' is empty, has a wildcard, or is longer or deeper than allowed";
    }

    private static @Nullable String topicFilter(String filter, TopicLimits limits) {
        String exceeded = limits.exceeded(filter);
        if (exceeded != null) {
            return "topic filter '" + shortened(filter) + "' has " + exceeded;
        }
        if (!TopicSyntax.isValidFilter(filter)) {
            return "topic filter '" + shortened(filter) + "' is not valid (MQTT-4.7.1, MQTT-4.7.3-1)";
        }
        // A $share/ filter must name a group and a filter (MQTT 5 4.8.2), whatever the client's version: MQTT 3.1.1
        // clients may use shared subscriptions too, as on Mosquitto, which grants $share//t and $share/g instead.
        String shared = SharedFilter.isShared(filter) ? TopicFilters.filterError(filter) : null;
        return shared == null
                ? null
                : "topic filter '" + shortened(filter) + "': " + shared + " (MQTT-4.8.2-1, MQTT-4.8.2-2)";
    }

    private static String shortened(String topic) {
        return topic.length() <= 64 ? topic : topic.substring(0, 64) + "...";
    }
}
