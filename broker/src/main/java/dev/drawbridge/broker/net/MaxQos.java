package dev.drawbridge.broker.net;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscribePayload;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import java.util.List;

/**
 * A listener's {@code max_qos} applied to a SUBSCRIBE: a filter asked for at a higher QoS is granted (and delivered)
 * at {@code max_qos}, as Mosquitto lowers it, for MQTT 3.1.1 and 5 alike. A PUBLISH or will above it is refused
 * elsewhere.
 */
final class MaxQos {

    private MaxQos() {}

    /** The SUBSCRIBE with each filter's QoS at most {@code maxQos}; the same object when none is above it. */
    static MqttSubscribeMessage cap(MqttSubscribeMessage subscribe, int maxQos) {
        List<MqttTopicSubscription> asked = subscribe.payload().topicSubscriptions();
        if (maxQos >= 2 || asked.stream().allMatch(s -> s.qualityOfService().value() <= maxQos)) {
            return subscribe;
        }
        List<MqttTopicSubscription> capped = asked.stream()
                .map(s -> s.qualityOfService().value() <= maxQos ? s : capped(s, maxQos))
                .toList();
        return new MqttSubscribeMessage(
                subscribe.fixedHeader(), subscribe.idAndPropertiesVariableHeader(), new MqttSubscribePayload(capped));
    }

    private static MqttTopicSubscription capped(MqttTopicSubscription s, int maxQos) {
        MqttSubscriptionOption o = s.option();
        return new MqttTopicSubscription(
                s.topicFilter(),
                new MqttSubscriptionOption(
                        MqttQoS.valueOf(maxQos), o.isNoLocal(), o.isRetainAsPublished(), o.retainHandling()));
    }
}
