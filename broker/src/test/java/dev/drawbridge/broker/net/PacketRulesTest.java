package dev.drawbridge.broker.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttQoS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Shared subscription names in SUBSCRIBE and UNSUBSCRIBE, judged for every protocol version. */
class PacketRulesTest {

    private static final TopicLimits LIMITS = new TopicLimits(65_535, 200);
    private static final String OK = "accepted";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            $share/g/t       | accepted
            $share/g/a/+/#   | accepted
            $share/g/#       | accepted
            $share//t        | topic filter '$share//t': shared subscription group is empty in "$share//t"; expected $share/GROUP/FILTER (MQTT-4.8.2-1, MQTT-4.8.2-2)
            $share/g         | topic filter '$share/g': shared subscription has no topic filter after the group in "$share/g"; expected $share/GROUP/FILTER (MQTT-4.8.2-1, MQTT-4.8.2-2)
            $share/g/        | topic filter '$share/g/': topic filter is empty; expected at least one character (MQTT-4.8.2-1, MQTT-4.8.2-2)
            $share/g#/t      | topic filter '$share/g#/t' is not valid (MQTT-4.7.1, MQTT-4.7.3-1)
            $share/+/t       | topic filter '$share/+/t': shared subscription group must not contain '+' or '#', found "$share/+/t" (MQTT-4.8.2-1, MQTT-4.8.2-2)
            $sharex/g/t      | accepted
            """)
    void judgesSharedSubscriptionNames(String filter, String verdict) {
        String subscribe = PacketRules.violation(
                MqttMessageBuilders.subscribe()
                        .messageId(1)
                        .addSubscription(MqttQoS.AT_MOST_ONCE, filter)
                        .build(),
                LIMITS);
        assertThat(subscribe == null ? OK : subscribe)
                .as("SUBSCRIBE %s", filter)
                .isEqualTo(verdict);
        String unsubscribe = PacketRules.violation(
                MqttMessageBuilders.unsubscribe()
                        .messageId(2)
                        .addTopicFilter(filter)
                        .build(),
                LIMITS);
        assertThat(unsubscribe == null ? OK : unsubscribe)
                .as("UNSUBSCRIBE %s", filter)
                .isEqualTo(verdict);
    }
}
